import { TelemetryConfigError, type ConfigProblem } from "../errors/telemetry-config-error.js";
import { resolveTelemetryConfig } from "./resolve-config.js";
import type { FluentdProtocol } from "./service-defaults.js";
import type { ConsoleFormat } from "./console-format.js";
import type {
  ConfigWarning,
  Dash0Config,
  FluentdConfig,
  MetricsConfig,
  OtlpConfig,
  ServiceIdentity,
  TelemetryConfig as ResolvedTelemetryConfig,
  TelemetryConfigOptions,
  TracingConfig,
} from "./telemetry-config.js";

/**
 * The seed's `defaults`: values used when their environment variable is not set (the seed's priority
 * is env → these → error). Each stands in for one variable; an invalid one is reported under
 * `defaults.<key>`.
 */
export interface TelemetryConfigDefaults {
  /** Stands in for `FLUENTD_HOST`, e.g. `host.docker.internal`. */
  fluentdHost?: string;
  /** Stands in for `FLUENTD_PORT`. Port 8888 (the seed's Fluentd `in_http`) implies `fluentdProtocol: "http"` unless one is given. */
  fluentdPort?: number;
  /** Stands in for `FLUENTD_PROTOCOL`. */
  fluentdProtocol?: FluentdProtocol;
  /**
   * Stands in for the OTLP endpoint when no endpoint variable is set: a URL ending in `/v1/traces`
   * is the traces endpoint (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), any other the base URL.
   */
  otelEndpoint?: string;
}

/**
 * What `new TelemetryConfig(...)` takes: the seed's `serviceType`, `required` and `defaults`, plus
 * any option of {@link TelemetryConfigOptions} (which wins over the environment, as everywhere).
 */
export interface TelemetryConfigInit extends TelemetryConfigOptions {
  /** Environment variables that must be set (non-empty), e.g. `['DASH0_API_KEY', 'MACHINE_ID']`; each missing one is a problem. */
  required?: readonly string[];
  /** Values used when their variable is not set. */
  defaults?: TelemetryConfigDefaults;
  /** Environment to read instead of `process.env` (tests, embedding). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Variables that name an OTLP endpoint: when any is set, `defaults.otelEndpoint` stands back. */
const endpointVariables = /^(OTEL_EXPORTER_OTLP_(TRACES_|LOGS_)?ENDPOINT|OTEL_COLLECTOR_[A-Z_]*ENDPOINT|DASH0_([A-Z]+_)?ENDPOINT)$/;
const defaultKeys: readonly (keyof TelemetryConfigDefaults)[] = ["fluentdHost", "fluentdPort", "fluentdProtocol", "otelEndpoint"];
const inHttpPort = 8888;

const isSet = (env: Readonly<Record<string, string | undefined>>, name: string): boolean => (env[name]?.trim() ?? "") !== "";

/** The environment with `defaults` filled in where their variables are unset, and which default stands for which variable. */
function withDefaults(
  env: Readonly<Record<string, string | undefined>>,
  defaults: TelemetryConfigDefaults,
  warnings: ConfigWarning[],
): { env: Record<string, string | undefined>; standIns: Map<string, string> } {
  const out: Record<string, string | undefined> = { ...env };
  const standIns = new Map<string, string>();
  const fill = (name: string, key: keyof TelemetryConfigDefaults, value: unknown): void => {
    if (value === undefined || isSet(env, name)) return;
    out[name] = typeof value === "string" ? value : JSON.stringify(value);
    standIns.set(name, `defaults.${key}`);
  };
  fill("FLUENTD_HOST", "fluentdHost", defaults.fluentdHost);
  fill("FLUENTD_PORT", "fluentdPort", defaults.fluentdPort);
  fill("FLUENTD_PROTOCOL", "fluentdProtocol", defaults.fluentdProtocol);
  if (defaults.fluentdProtocol === undefined && out.FLUENTD_PORT?.trim() === String(inHttpPort) && !isSet(env, "FLUENTD_PROTOCOL")) {
    fill("FLUENTD_PROTOCOL", "fluentdPort", "http");
    warnings.push({ key: "defaults.fluentdPort", message: "port 8888 is Fluentd's in_http input: speaking http to it (set fluentdProtocol to choose)" });
  }
  const endpoint = defaults.otelEndpoint;
  if (endpoint !== undefined && !Object.keys(env).some((name) => endpointVariables.test(name) && isSet(env, name))) {
    const tracesUrl = typeof endpoint === "string" && /\/v1\/traces\/?$/.test(endpoint);
    fill(tracesUrl ? "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" : "OTEL_EXPORTER_OTLP_ENDPOINT", "otelEndpoint", endpoint);
  }
  return { env: out, standIns };
}

/** Problems with `required` and `defaults` themselves, and every required variable that is missing. */
function initProblems(init: TelemetryConfigInit, env: Readonly<Record<string, string | undefined>>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const required: unknown = init.required ?? [];
  if (!Array.isArray(required))
    problems.push({ key: "required", value: JSON.stringify(required), problem: "must be a list of variable names", example: "required: ['MACHINE_ID']" });
  else {
    for (const name of required as unknown[]) {
      if (typeof name !== "string" || name === "")
        problems.push({ key: "required", value: JSON.stringify(name), problem: "must hold variable names", example: "required: ['MACHINE_ID']" });
      else if (!isSet(env, name)) problems.push({ key: name, value: undefined, problem: "is required (TelemetryConfig required)", example: `${name}=…` });
    }
  }
  const defaults: unknown = init.defaults ?? {};
  if (typeof defaults !== "object" || defaults === null) {
    problems.push({ key: "defaults", value: JSON.stringify(defaults), problem: "must be an object", example: "defaults: { fluentdPort: 24224 }" });
  } else {
    for (const key of Object.keys(defaults)) {
      if (!(defaultKeys as readonly string[]).includes(key))
        problems.push({ key: `defaults.${key}`, value: "…", problem: `no such default; known: ${defaultKeys.join(", ")}`, example: "defaults.fluentdHost" });
    }
  }
  return problems;
}

/**
 * The seed's configuration manager: `new TelemetryConfig({ serviceType: 'api', required: [...],
 * defaults: {...} })` resolves the whole configuration at once. Per setting: an option given here →
 * the environment variable → `defaults` → the service type's default. Every missing `required`
 * variable and every invalid value is named in one {@link TelemetryConfigError}.
 *
 * The instance IS the resolved configuration (deep-frozen; secrets are `Secret`s): it has exactly
 * the fields of {@link ResolvedTelemetryConfig} (what `client.config` holds), so the two types are
 * interchangeable, and `new EmpTelemetryClient(config)` / `createTelemetryClient(config)` build a
 * client from it.
 *
 * @throws TelemetryConfigError naming every problem of the init, the environment and the defaults.
 */
export class TelemetryConfig implements ResolvedTelemetryConfig {
  declare readonly service: ServiceIdentity;
  declare readonly fluentd: FluentdConfig;
  declare readonly otlp: OtlpConfig;
  declare readonly dash0: Dash0Config;
  declare readonly logDir: string | undefined;
  declare readonly maxQueueBytes: number;
  declare readonly debug: boolean;
  declare readonly disabled: boolean;
  declare readonly consoleOutput: boolean;
  declare readonly resourceAttributes: Readonly<Record<string, string>>;
  declare readonly tracing: TracingConfig;
  declare readonly metrics: MetricsConfig;
  declare readonly console: ConsoleFormat;
  declare readonly warnings: readonly ConfigWarning[];

  constructor(init: TelemetryConfigInit = {}) {
    const { required: _required, defaults, env: givenEnv, ...options } = init;
    const env = givenEnv ?? process.env;
    const extraWarnings: ConfigWarning[] = [];
    const filled = withDefaults(env, typeof defaults === "object" && defaults !== null ? defaults : {}, extraWarnings);
    const problems = initProblems(init, env);
    let resolved: ResolvedTelemetryConfig | undefined;
    try {
      resolved = resolveTelemetryConfig(options, filled.env);
    } catch (error: unknown) {
      if (!(error instanceof TelemetryConfigError)) throw error;
      // A value that came from `defaults` is reported under its own key, not under the variable it stood in for.
      for (const p of error.problems) problems.push({ ...p, key: filled.standIns.get(p.key) ?? p.key });
    }
    if (problems.length > 0 || resolved === undefined) throw new TelemetryConfigError(problems);
    Object.assign(this, resolved, { warnings: Object.freeze([...resolved.warnings, ...extraWarnings.map((w) => Object.freeze(w))]) });
    Object.freeze(this);
  }
}
