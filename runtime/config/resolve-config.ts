import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { OptionProblems } from "./option-problems.js";
import { parseConsoleFormat } from "./console-format.js";
import { findMisspelledEnvNames } from "./did-you-mean.js";
import { checkOptionKeys } from "./option-keys.js";
import { otlpSignalUrl } from "./otlp-endpoints.js";
import {
  parseAbsolutePath,
  parseBoolean,
  parseByteCount,
  parseCompression,
  parseFluentdProtocol,
  parseHost,
  parseHttpUrl,
  parseIdentifier,
  parseOtlpBaseUrl,
  parseOtlpHeaders,
  parsePort,
  parseServiceType,
  parseToken,
} from "./parse-values.js";
import type { TelemetryEnvName } from "./env-table.js";
import { createSettingReader, settingValue, type Setting, type SettingReader } from "./read-setting.js";
import { Secret, type ConfigHeaders } from "./secret.js";
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
 * - OTLP: a signal-specific endpoint is used as is; otherwise `/v1/traces` or `/v1/logs` is
 *   appended to `OTEL_EXPORTER_OTLP_ENDPOINT`, else to `DASH0_ENDPOINT` (then with
 *   `Authorization: Bearer <key>` and `Dash0-Dataset` headers), else to the type's default.
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
  const section = <K extends "fluentd" | "otlp" | "dash0">(key: K): NonNullable<TelemetryConfigOptions[K]> =>
    (isRecord(o[key]) ? o[key] : {}) as NonNullable<TelemetryConfigOptions[K]>;
  const fluentdOptions = section("fluentd");
  const otlpOptions = section("otlp");
  const dash0Options = section("dash0");

  const typeSetting = reader.read("SERVICE_TYPE", o.serviceType, parseServiceType);
  if (typeSetting.status === "unset") reader.missing("SERVICE_TYPE", "to pick the service defaults");
  const type = settingValue(typeSetting);
  // Without a valid type we still check every other value, against the api row, then throw.
  const defaults: ServiceTypeDefaults = serviceTypeDefaults[type ?? "api"];

  const name = required(reader, "SERVICE_NAME", reader.read("SERVICE_NAME", o.serviceName, parseIdentifier), "for every service");
  const environment = required(reader, "TELEMETRY_ENV", reader.read("TELEMETRY_ENV", o.environment, parseIdentifier), "for every service");
  const version = settingValue(reader.read("SERVICE_VERSION", o.serviceVersion, parseToken));
  const machineIdSetting = reader.read("MACHINE_ID", o.machineId, parseIdentifier);
  if (type !== undefined && defaults.requiresMachineId && machineIdSetting.status === "unset") reader.missing("MACHINE_ID", `for service type "${type}"`);
  const workerIdSetting = reader.read("WORKER_ID", o.workerId, parseIdentifier);
  if (type !== undefined && defaults.requiresWorkerId && workerIdSetting.status === "unset") reader.missing("WORKER_ID", `for service type "${type}"`);
  const instanceId = settingValue(reader.option("instanceId", o.instanceId, parseIdentifier, `instanceId=${processInstanceId}`)) ?? processInstanceId;

  const fluentdEnabled =
    settingValue(reader.option("fluentd.enabled", fluentdOptions.enabled, parseBoolean, "fluentd.enabled=true")) ?? defaults.fluentdEnabled;
  const protocol = settingValue(reader.read("FLUENTD_PROTOCOL", fluentdOptions.protocol, parseFluentdProtocol)) ?? defaults.fluentdProtocol;
  const fluentdHost = settingValue(reader.read("FLUENTD_HOST", fluentdOptions.host, parseHost)) ?? defaults.fluentdHost;
  const fluentdPort = settingValue(reader.read("FLUENTD_PORT", fluentdOptions.port, parsePort)) ?? fluentdDefaultPorts[protocol];
  const fluentdTls = settingValue(reader.read("FLUENTD_TLS", fluentdOptions.tls, parseBoolean)) ?? defaults.fluentdTls;
  const sharedKeySetting = reader.read("FLUENTD_SHARED_KEY", fluentdOptions.sharedKey, parseToken);
  if (sharedKeySetting.status === "set" && protocol === "http") {
    warnings.push({ key: sharedKeySetting.key, message: `${sharedKeySetting.key} is only used by the forward protocol; FLUENTD_PROTOCOL is http` });
  }

  const baseSetting = reader.read("OTEL_EXPORTER_OTLP_ENDPOINT", otlpOptions.endpoint, parseOtlpBaseUrl);
  const tracesSetting = reader.read("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", otlpOptions.tracesEndpoint, parseHttpUrl);
  const logsSetting = reader.read("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", otlpOptions.logsEndpoint, parseHttpUrl);
  const headersSetting = reader.read("OTEL_EXPORTER_OTLP_HEADERS", otlpOptions.headers, parseOtlpHeaders);
  const gzip = settingValue(reader.read("OTEL_EXPORTER_OTLP_COMPRESSION", otlpOptions.gzip, parseCompression)) ?? defaults.otlpGzip;
  const tracesOn = settingValue(reader.option("otlp.traces", otlpOptions.traces, parseBoolean, "otlp.traces=true")) ?? defaults.otlpTraces;
  const logsOn =
    settingValue(reader.option("otlp.logs", otlpOptions.logs, parseBoolean, "otlp.logs=true")) ?? (logsSetting.status === "set" || defaults.otlpLogs);

  const dash0Endpoint = settingValue(reader.read("DASH0_ENDPOINT", dash0Options.endpoint, parseOtlpBaseUrl));
  const dash0KeySetting = reader.read("DASH0_API_KEY", dash0Options.apiKey, parseToken);
  const dash0Dataset = settingValue(reader.read("DASH0_DATASET", dash0Options.dataset, parseToken));
  if (dash0Endpoint !== undefined && dash0KeySetting.status === "unset") reader.missing("DASH0_API_KEY", "when DASH0_ENDPOINT is set");
  const dash0Key = settingValue(dash0KeySetting);

  const otlpConfigured = [baseSetting, tracesSetting, logsSetting].some((setting) => setting.status !== "unset");
  const dash0Target = !otlpConfigured && dash0Endpoint !== undefined && dash0Key !== undefined;
  const baseUrl = settingValue(baseSetting) ?? (dash0Target ? dash0Endpoint : defaults.otlpEndpoint);
  const headers: Record<string, string | Secret> = {};
  for (const [header, value] of Object.entries(settingValue(headersSetting) ?? {})) headers[header] = new Secret(value);
  if (dash0Target) {
    const clash = Object.keys(headers).find((header) => ["authorization", "dash0-dataset"].includes(header.toLowerCase()));
    if (clash !== undefined) {
      reader.problem(
        "OTEL_EXPORTER_OTLP_HEADERS",
        "",
        true,
        `sets ${clash}, which Dash0 takes from DASH0_API_KEY / DASH0_DATASET: remove it`,
        "OTEL_EXPORTER_OTLP_HEADERS=x-tenant=emp",
      );
    }
    headers.Authorization = new Secret(`Bearer ${dash0Key}`);
    if (dash0Dataset !== undefined) headers["Dash0-Dataset"] = dash0Dataset;
  }

  const logDir = settingValue(reader.read("LOG_DIR", o.logDir, parseAbsolutePath)) ?? defaults.logDir;
  const maxQueueBytes =
    settingValue(reader.option("maxQueueBytes", o.maxQueueBytes, parseByteCount, `maxQueueBytes=${String(defaults.maxQueueBytes)}`)) ?? defaults.maxQueueBytes;
  const debug = settingValue(reader.read("TELEMETRY_DEBUG", o.debug, parseBoolean)) ?? false;
  const consoleFormat = settingValue(reader.read("TELEMETRY_CONSOLE", o.console, parseConsoleFormat)) ?? "off";
  warnings.push(...findMisspelledEnvNames(env));

  problems.throwIfAny();
  if (type === undefined || name === undefined || environment === undefined) throw problems.toError(); // each was reported missing
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
      enabled: fluentdEnabled,
      protocol,
      host: fluentdHost,
      port: fluentdPort,
      tls: fluentdTls,
      sharedKey: sharedKeySetting.status === "set" ? new Secret(sharedKeySetting.value) : undefined,
    },
    otlp: {
      tracesEndpoint: tracesOn ? (settingValue(tracesSetting) ?? otlpSignalUrl(baseUrl, "traces")) : undefined,
      logsEndpoint: logsOn ? (settingValue(logsSetting) ?? otlpSignalUrl(baseUrl, "logs")) : undefined,
      headers: headers as ConfigHeaders,
      gzip,
      target: dash0Target ? "dash0" : "collector",
    },
    dash0: { endpoint: dash0Endpoint, apiKey: dash0Key === undefined ? undefined : new Secret(dash0Key), dataset: dash0Dataset },
    logDir,
    maxQueueBytes,
    debug,
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
