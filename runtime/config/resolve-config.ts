import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { resolve } from "node:path";
import { OptionProblems } from "./option-problems.js";
import { parseConsoleFormat } from "./console-format.js";
import { findMisspelledEnvNames } from "./did-you-mean.js";
import { checkOptionKeys } from "./option-keys.js";
import { findUnhonouredOtelNames } from "./otel-unhonoured.js";
import { mergeResourceAttributes } from "./otel-resource-attributes.js";
import { readMetricsSettings, readTracingSettings } from "./otel-sdk-settings.js";
import { parseOtelLogLevel, parseResourceAttributes } from "./parse-otel-values.js";
import { readOtlpSettings } from "./resolve-otlp.js";
import { sharedServiceNameWarning } from "./legacy-deployment-env.js";
import {
  parseAbsolutePath,
  parseBoolean,
  parseByteCount,
  parseFluentdProtocol,
  parseHost,
  parseIdentifier,
  parsePort,
  parseServiceType,
  parseToken,
} from "./parse-values.js";
import type { TelemetryEnvName } from "./env-table.js";
import { createSettingReader, settingValue, type Setting, type SettingReader } from "./read-setting.js";
import { Secret } from "./secret.js";
import { fluentdDefaultPorts, serviceTypeDefaults, type ServiceTypeDefaults } from "./service-defaults.js";
import type { ConfigWarning, TelemetryConfig, TelemetryConfigOptions } from "./telemetry-config.js";

/** `service.instance.id` of this process unless the options give one: one random UUID per process. */
const processInstanceId = randomUUID();

/**
 * Resolves the telemetry configuration. Precedence per setting: `options` (code) → `env` →
 * {@link serviceTypeDefaults} of the service type → a problem. Every variable it reads is in
 * {@link telemetryConfigEnv}; this is the one function of the library that reads the environment.
 *
 * - Env values are trimmed and an empty value counts as not set.
 * - OTLP: see {@link readOtlpSettings} (per signal: endpoint, protocol, deadline, headers,
 *   compression, CA; Dash0 as the target when no collector endpoint is set). Routing: with an
 *   OTLP endpoint or protocol set and no Fluentd variable, Fluentd is off and logs go over OTLP.
 * - `OTEL_SDK_DISABLED=true`: no sink, no file sink, no certificate read.
 * - `OTEL_*` variables we do not honour get one warning each.
 * - Unknown variables with our prefixes that look like typos, and old variable names in use,
 *   become `warnings`, not errors.
 *
 * Failure behaviour: throws one {@link TelemetryConfigError} (code `config_invalid`) listing every
 * missing or invalid value, conflicting old/new names and unknown option keys at once; secrets
 * are shown as `[redacted]`. Nothing is silently replaced by a default.
 * @param env - environment to read, default `process.env`.
 * @returns a deep-frozen {@link TelemetryConfig}; secrets are {@link Secret}s.
 */
export function resolveTelemetryConfig(options: TelemetryConfigOptions, env: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  const problems = new OptionProblems(undefined);
  const warnings: ConfigWarning[] = [];
  const reader = createSettingReader(env, problems, warnings);
  checkOptionKeys(options, problems);
  const o: TelemetryConfigOptions = isRecord(options) ? options : {};
  const section = <K extends "fluentd" | "otlp" | "dash0" | "tracing" | "metrics">(key: K): NonNullable<TelemetryConfigOptions[K]> =>
    (isRecord(o[key]) ? o[key] : {}) as NonNullable<TelemetryConfigOptions[K]>;
  const fluentdOptions = section("fluentd");

  const typeSetting = reader.read("SERVICE_TYPE", o.serviceType, parseServiceType);
  if (typeSetting.status === "unset") reader.missing("SERVICE_TYPE", "to pick the service defaults");
  const type = settingValue(typeSetting);
  // Without a valid type we still check every other value, against the api row, then throw.
  const defaults: ServiceTypeDefaults = serviceTypeDefaults[type ?? "api"];
  const disabled = settingValue(reader.read("OTEL_SDK_DISABLED", o.disabled, parseBoolean)) ?? false;

  // OTel's order: SERVICE_NAME / OTEL_SERVICE_NAME, then `service.name` in OTEL_RESOURCE_ATTRIBUTES.
  const resourceSetting = reader.read("OTEL_RESOURCE_ATTRIBUTES", o.resourceAttributes, parseResourceAttributes);
  const given = settingValue(resourceSetting) ?? {};
  const fromResource = <T>(setting: Setting<T>, key: string): Setting<T> | Setting<string> => {
    const value = given[key];
    if (setting.status !== "unset" || value === undefined || !parseIdentifier(value).ok) return setting;
    return { status: "set", value, key: `OTEL_RESOURCE_ATTRIBUTES ${key}` };
  };
  const nameSetting = fromResource(reader.read("SERVICE_NAME", o.serviceName, parseIdentifier), "service.name");
  const name = required(reader, "SERVICE_NAME", nameSetting, "for every service");
  const envSetting = fromResource(reader.read("TELEMETRY_ENV", o.environment, parseIdentifier), "deployment.environment.name");
  const environment = required(reader, "TELEMETRY_ENV", envSetting, "for every service");
  const version = settingValue(fromResource(reader.read("SERVICE_VERSION", o.serviceVersion, parseToken), "service.version"));
  if (name !== undefined) warnings.push(...sharedServiceNameWarning(name, nameSetting.status === "set" ? nameSetting.key : "serviceName"));
  const machineIdSetting = reader.read("MACHINE_ID", o.machineId, parseIdentifier);
  if (type !== undefined && defaults.requiresMachineId && machineIdSetting.status === "unset") reader.missing("MACHINE_ID", `for service type "${type}"`);
  const workerIdSetting = reader.read("WORKER_ID", o.workerId, parseIdentifier);
  if (type !== undefined && defaults.requiresWorkerId && workerIdSetting.status === "unset") reader.missing("WORKER_ID", `for service type "${type}"`);
  const instanceId = settingValue(reader.option("instanceId", o.instanceId, parseIdentifier, `instanceId=${processInstanceId}`)) ?? processInstanceId;

  const fluentdSettings = {
    protocol: reader.read("FLUENTD_PROTOCOL", fluentdOptions.protocol, parseFluentdProtocol),
    host: reader.read("FLUENTD_HOST", fluentdOptions.host, parseHost),
    port: reader.read("FLUENTD_PORT", fluentdOptions.port, parsePort),
    tls: reader.read("FLUENTD_TLS", fluentdOptions.tls, parseBoolean),
    sharedKey: reader.read("FLUENTD_SHARED_KEY", fluentdOptions.sharedKey, parseToken),
  };
  const fluentdSwitch = settingValue(reader.read("FLUENT_BIT_ENABLED", fluentdOptions.enabled, parseBoolean));
  const fluentdExplicit = fluentdSwitch === true || Object.values(fluentdSettings).some((setting) => setting.status !== "unset");
  const protocol = settingValue(fluentdSettings.protocol) ?? defaults.fluentdProtocol;
  if (fluentdSettings.sharedKey.status === "set" && protocol === "http") {
    const key = fluentdSettings.sharedKey.key;
    warnings.push({ key, message: `${key} is only used by the forward protocol; FLUENTD_PROTOCOL is http` });
  }

  const otlpSettings = readOtlpSettings(reader, warnings, section("otlp"), section("dash0"), defaults);
  // Routing (README): OTLP configured and Fluentd not → logs over OTLP, no Fluentd sink.
  const fluentdOn = !disabled && (fluentdSwitch ?? (otlpSettings.explicit && !fluentdExplicit ? false : defaults.fluentdEnabled));
  const { otlp, dash0 } = otlpSettings.build({ disabled, fluentdOn });

  const logDirSetting = reader.read("LOG_DIR", o.logDir, parseAbsolutePath);
  const logToFile = settingValue(reader.read("LOG_TO_FILE", o.logToFile, parseBoolean));
  const logDir =
    disabled || logToFile === false ? undefined : (settingValue(logDirSetting) ?? defaults.logDir ?? (logToFile === true ? resolve("logs") : undefined));
  if (!disabled && !fluentdOn && otlp.logsEndpoint === undefined && logDir === undefined) {
    warnings.push({ key: "logs", message: "logs go nowhere: no Fluentd sink, no OTLP logs and no log files (see the routing table)" });
  }
  const maxQueueBytes =
    settingValue(reader.option("maxQueueBytes", o.maxQueueBytes, parseByteCount, `maxQueueBytes=${String(defaults.maxQueueBytes)}`)) ?? defaults.maxQueueBytes;
  const otelDebug = settingValue(reader.read("OTEL_LOG_LEVEL", undefined, parseOtelLogLevel));
  const debug = settingValue(reader.read("TELEMETRY_DEBUG", o.debug, parseBoolean)) ?? otelDebug ?? false;
  const consoleOutput = settingValue(reader.read("TELEMETRY_LOGS", o.consoleOutput, parseBoolean)) ?? true;
  const tracing = readTracingSettings(reader, section("tracing"));
  const metrics = readMetricsSettings(reader, section("metrics"));
  warnings.push(...findMisspelledEnvNames(env), ...findUnhonouredOtelNames(env));
  const consoleFormat = consoleOutput ? (settingValue(reader.read("TELEMETRY_CONSOLE", o.console, parseConsoleFormat)) ?? "off") : "off";

  problems.throwIfAny();
  if (type === undefined || name === undefined || environment === undefined) throw problems.toError(); // each was reported missing
  const resourceAttributes = mergeResourceAttributes(given, { name, environment, version, instanceId }, "OTEL_RESOURCE_ATTRIBUTES", warnings);
  return deepFreeze({
    service: {
      name,
      type,
      environment,
      version,
      machineId: settingValue(machineIdSetting),
      workerId: settingValue(workerIdSetting),
      instanceId,
      host: hostname(),
    },
    fluentd: {
      enabled: fluentdOn,
      protocol,
      host: settingValue(fluentdSettings.host) ?? defaults.fluentdHost,
      port: settingValue(fluentdSettings.port) ?? fluentdDefaultPorts[protocol],
      tls: settingValue(fluentdSettings.tls) ?? defaults.fluentdTls,
      sharedKey: fluentdSettings.sharedKey.status === "set" ? new Secret(fluentdSettings.sharedKey.value) : undefined,
    },
    otlp,
    dash0,
    logDir,
    maxQueueBytes,
    debug,
    disabled,
    consoleOutput,
    resourceAttributes,
    tracing,
    metrics,
    console: consoleFormat,
    warnings: warnings.map((warning) => ({ ...warning })),
  });
}

function required<T>(reader: SettingReader, name: TelemetryEnvName, setting: Setting<T>, because: string): T | undefined {
  if (setting.status === "unset") reader.missing(name, because);
  return settingValue(setting);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !(value instanceof Secret) && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
