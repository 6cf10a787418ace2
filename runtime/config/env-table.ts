/** Another name accepted for a variable: an old name (`deprecated`, warned about) or an equal alternative. */
export interface EnvAlias {
  /** The other variable name. */
  readonly name: string;
  /** `true` for an old name kept for compatibility: using it adds a warning asking to rename it. */
  readonly deprecated: boolean;
}

/** One environment variable read by {@link resolveTelemetryConfig}: a row of {@link telemetryConfigEnv}. */
export interface EnvVariable {
  /** The variable's name. */
  readonly name: string;
  /** Other names read for the same setting; if several are set and differ, that is a problem. */
  readonly aliases: readonly EnvAlias[];
  /** The option (path in `TelemetryConfigOptions`) that wins over the variable. */
  readonly option: string;
  /** Whether the value is a secret: shown only as `[redacted]`. */
  readonly secret: boolean;
  /** A right value, used in problem messages. */
  readonly example: string;
  /** What it sets. */
  readonly description: string;
  /** What applies when neither the option nor the variable is set. */
  readonly whenUnset: string;
}

/** Canonical names of the variables in {@link telemetryConfigEnv}. */
export type TelemetryEnvName =
  | "SERVICE_NAME"
  | "SERVICE_VERSION"
  | "SERVICE_TYPE"
  | "TELEMETRY_ENV"
  | "MACHINE_ID"
  | "WORKER_ID"
  | "FLUENTD_HOST"
  | "FLUENTD_PORT"
  | "FLUENTD_PROTOCOL"
  | "FLUENTD_TLS"
  | "FLUENTD_SHARED_KEY"
  | "OTEL_EXPORTER_OTLP_ENDPOINT"
  | "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
  | "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"
  | "OTEL_EXPORTER_OTLP_HEADERS"
  | "OTEL_EXPORTER_OTLP_COMPRESSION"
  | "DASH0_API_KEY"
  | "DASH0_DATASET"
  | "DASH0_ENDPOINT"
  | "LOG_DIR"
  | "TELEMETRY_DEBUG"
  | "TELEMETRY_CONSOLE";

type Row = [name: TelemetryEnvName, aliases: EnvAlias[], option: string, secret: boolean, example: string, description: string, whenUnset: string];

const old = (name: string): EnvAlias => ({ name, deprecated: true });
const alt = (name: string): EnvAlias => ({ name, deprecated: false });

const rows: Row[] = [
  ["SERVICE_NAME", [alt("OTEL_SERVICE_NAME")], "serviceName", false, "api-server", "service name (OTel `service.name`)", "error"],
  ["SERVICE_VERSION", [], "serviceVersion", false, "1.4.2", "service version (OTel `service.version`)", "none"],
  ["SERVICE_TYPE", [], "serviceType", false, "api", "`api`, `webhook`, `machine` or `worker`; picks the defaults", "error"],
  ["TELEMETRY_ENV", [], "environment", false, "production", "deployment environment (OTel `deployment.environment.name`)", "error"],
  ["MACHINE_ID", [], "machineId", false, "gpu-machine-01", "machine identity", "error for `machine` and `worker`, else none"],
  ["WORKER_ID", [], "workerId", false, "gpu-machine-01-worker-0", "worker identity", "error for `worker`, else none"],
  ["FLUENTD_HOST", [], "fluentd.host", false, "fluentd.internal", "Fluentd / Fluent Bit host (no scheme, no port)", "service-type default"],
  ["FLUENTD_PORT", [], "fluentd.port", false, "24224", "Fluentd port, 1..65535", "24224 for `forward`, 8888 for `http`"],
  ["FLUENTD_PROTOCOL", [], "fluentd.protocol", false, "forward", "`forward` (forward protocol) or `http` (`in_http`)", "`forward`"],
  ["FLUENTD_TLS", [old("FLUENTD_SECURE")], "fluentd.tls", false, "true", "connect to Fluentd over TLS (true/false, 1/0, yes/no, on/off)", "`false`"],
  ["FLUENTD_SHARED_KEY", [], "fluentd.sharedKey", true, "a-long-random-shared-key", "forward-protocol shared key (HELO/PING/PONG); secret", "no handshake"],
  [
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    [],
    "otlp.endpoint",
    false,
    "http://otel-collector:4318",
    "OTLP/HTTP base URL; `/v1/traces` and `/v1/logs` are appended",
    "Dash0 if set, else service-type default",
  ],
  [
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    [old("OTEL_COLLECTOR_TRACES_ENDPOINT")],
    "otlp.tracesEndpoint",
    false,
    "http://otel-collector:4318/v1/traces",
    "OTLP traces URL, used as is",
    "from the base URL",
  ],
  [
    "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
    [],
    "otlp.logsEndpoint",
    false,
    "http://otel-collector:4318/v1/logs",
    "OTLP logs URL, used as is; setting it turns OTLP logs on",
    "from the base URL",
  ],
  [
    "OTEL_EXPORTER_OTLP_HEADERS",
    [],
    "otlp.headers",
    true,
    "x-tenant=emp,authorization=Bearer%20token",
    "OTLP headers `k=v,k2=v2`, URL-decoded; values are secrets",
    "none",
  ],
  ["OTEL_EXPORTER_OTLP_COMPRESSION", [], "otlp.gzip", false, "gzip", "`gzip` or `none`", "service-type default"],
  [
    "DASH0_API_KEY",
    [alt("DASH0_AUTH_TOKEN")],
    "dash0.apiKey",
    true,
    "auth_0123456789abcdef",
    "Dash0 auth token, sent as `Authorization: Bearer`; secret",
    "none",
  ],
  ["DASH0_DATASET", [], "dash0.dataset", false, "default", "Dash0 dataset, sent as `Dash0-Dataset`", "none (Dash0's default dataset)"],
  [
    "DASH0_ENDPOINT",
    [],
    "dash0.endpoint",
    false,
    "https://ingress.eu-west-1.aws.dash0.com",
    "Dash0 OTLP/HTTP base URL; the OTLP target when no `OTEL_EXPORTER_OTLP_*ENDPOINT` is set (needs the key)",
    "none",
  ],
  ["LOG_DIR", [], "logDir", false, "/workspace/logs", "directory of the NDJSON log files (absolute)", "service-type default"],
  ["TELEMETRY_DEBUG", [], "debug", false, "true", "print diagnostics (true/false, 1/0, yes/no, on/off)", "`false`"],
  ["TELEMETRY_CONSOLE", [], "console", false, "pretty", "also print each log entry on stdout: `pretty`, `json` or `off` (development)", "`off`"],
];

/**
 * Every environment variable the configuration reads, keyed by canonical name (frozen). This is
 * the one place env names live; {@link resolveTelemetryConfig} is the one function that reads them.
 * An option in code wins over its variable; see {@link renderEnvTable} for the README form.
 */
export const telemetryConfigEnv: Readonly<Record<TelemetryEnvName, EnvVariable>> = Object.freeze(
  Object.fromEntries(
    rows.map(([name, aliases, option, secret, example, description, whenUnset]) => [
      name,
      Object.freeze({ name, aliases: Object.freeze(aliases.map((alias) => Object.freeze(alias))), option, secret, example, description, whenUnset }),
    ]),
  ) as Record<TelemetryEnvName, EnvVariable>,
);

/** Every name read, canonical names and aliases. */
export const knownEnvNames: ReadonlySet<string> = new Set(
  Object.values(telemetryConfigEnv).flatMap((variable) => [variable.name, ...variable.aliases.map((alias) => alias.name)]),
);

/** Prefixes of our variables: an unknown variable with one of these is checked for typos. */
export const telemetryEnvPrefixes: readonly string[] = Object.freeze(["SERVICE_", "TELEMETRY_", "FLUENTD_", "OTEL_", "DASH0_", "MACHINE_", "WORKER_", "LOG_"]);

/** The env table as GitHub markdown, for the README. Pure; never throws. */
export function renderEnvTable(): string {
  const lines = ["| variable | also read | option | meaning | unset | example |", "| --- | --- | --- | --- | --- | --- |"];
  for (const variable of Object.values(telemetryConfigEnv)) {
    const aliases = variable.aliases.map((alias) => `\`${alias.name}\`${alias.deprecated ? " (old)" : ""}`).join(", ");
    const example = variable.secret ? "(secret)" : `\`${variable.example}\``;
    lines.push(`| \`${variable.name}\` | ${aliases} | \`${variable.option}\` | ${variable.description} | ${variable.whenUnset} | ${example} |`);
  }
  return `${lines.join("\n")}\n`;
}
