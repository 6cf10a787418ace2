import { alt, type EnvAlias, type EnvRow, type EnvVariable, fallback, old, type TelemetryEnvName, wins } from "./env-row.js";
import { otelSdkRows, otlpExporterRows } from "./otel-env-rows.js";

export type { EnvAlias, EnvVariable, TelemetryEnvName } from "./env-row.js";

const ourRows: EnvRow[] = [
  ["SERVICE_NAME", [wins("OTEL_SERVICE_NAME")], "serviceName", false, "api-server", "service name (OTel `service.name`)", "error"],
  ["SERVICE_VERSION", [wins("OTEL_SERVICE_VERSION")], "serviceVersion", false, "1.4.2", "service version (OTel `service.version`)", "none"],
  ["SERVICE_TYPE", [], "serviceType", false, "api", "`api`, `webhook`, `machine` or `worker`; picks the defaults", "error"],
  ["TELEMETRY_ENV", [fallback("NODE_ENV")], "environment", false, "production", "deployment environment (OTel `deployment.environment.name`)", "error"],
  ["MACHINE_ID", [], "machineId", false, "gpu-machine-01", "machine identity", "error for `machine` and `worker`, else none"],
  ["WORKER_ID", [], "workerId", false, "gpu-machine-01-worker-0", "worker identity", "error for `worker`, else none"],
  ["FLUENTD_HOST", [], "fluentd.host", false, "fluentd.internal", "Fluentd / Fluent Bit host (no scheme, no port)", "service-type default"],
  ["FLUENTD_PORT", [], "fluentd.port", false, "24224", "Fluentd port, 1..65535", "24224 for `forward`, 8888 for `http`"],
  ["FLUENTD_PROTOCOL", [], "fluentd.protocol", false, "forward", "`forward` (forward protocol) or `http` (`in_http`)", "`forward`"],
  ["FLUENTD_TLS", [old("FLUENTD_SECURE")], "fluentd.tls", false, "true", "connect to Fluentd over TLS (true/false, 1/0, yes/no, on/off)", "`false`"],
  ["FLUENTD_SHARED_KEY", [], "fluentd.sharedKey", true, "a-long-random-shared-key", "forward-protocol shared key (HELO/PING/PONG); secret", "no handshake"],
  ["FLUENT_BIT_ENABLED", [], "fluentd.enabled", false, "false", "`false`: no Fluentd / Fluent Bit sink", "service-type default (see the routing table)"],
  ["OTEL_ENABLED", [], "otlp.enabled", false, "false", "`false`: nothing over OTLP (traces, logs, metrics)", "`true`"],
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
    "Dash0 OTLP base URL, a signal URL (`…/v1/metrics`: that signal's, with a warning) or gRPC `host:port` (TLS); " +
      "the target when no `OTEL_EXPORTER_OTLP_*ENDPOINT` is set (needs the key)",
    "none",
  ],
  [
    "DASH0_TRACES_ENDPOINT",
    [],
    "dash0.tracesEndpoint",
    false,
    "https://ingress.us-west-2.aws.dash0.com:4317",
    "Dash0 traces endpoint, used as is (`:4317` → gRPC)",
    "from `DASH0_ENDPOINT`",
  ],
  [
    "DASH0_METRICS_ENDPOINT",
    [],
    "dash0.metricsEndpoint",
    false,
    "https://ingress.us-west-2.aws.dash0.com:4317",
    "Dash0 metrics endpoint, used as is (`:4317` → gRPC)",
    "from `DASH0_ENDPOINT`",
  ],
  [
    "DASH0_LOGS_ENDPOINT",
    [],
    "dash0.logsEndpoint",
    false,
    "https://ingress.us-west-2.aws.dash0.com/logs/json",
    "Dash0 logs endpoint, used as is (`…/json` → `http/json`)",
    "from `DASH0_ENDPOINT`",
  ],
  ["LOG_DIR", [], "logDir", false, "/workspace/logs", "directory of the NDJSON log files (absolute)", "service-type default"],
  ["LOG_TO_FILE", [], "logToFile", false, "true", "`false`: no file sink; `true`: files in `LOG_DIR` (else the type's, else `./logs`)", "service-type default"],
  ["TELEMETRY_DEBUG", [], "debug", false, "true", "print diagnostics (true/false, 1/0, yes/no, on/off)", "`false`"],
  ["TELEMETRY_LOGS", [], "consoleOutput", false, "false", "`false`: nothing of ours on the console (`config.consoleOutput`)", "`true`"],
  ["TELEMETRY_CONSOLE", [], "console", false, "pretty", "also print each log entry on stdout: `pretty`, `json` or `off` (development)", "`off`"],
];

const rows: readonly EnvRow[] = [...ourRows, ...otlpExporterRows, ...otelSdkRows];

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
    const aliases = variable.aliases.map((alias) => `\`${alias.name}\`${aliasNote(alias)}`).join(", ");
    const example = variable.secret ? "(secret)" : `\`${variable.example}\``;
    lines.push(`| \`${variable.name}\` | ${aliases} | \`${variable.option}\` | ${variable.description} | ${variable.whenUnset} | ${example} |`);
  }
  return `${lines.join("\n")}\n`;
}

function aliasNote(alias: EnvAlias): string {
  if (alias.deprecated) return " (old)";
  return alias.precedence === "wins" ? " (wins)" : alias.precedence === "fallback" ? " (fallback)" : "";
}
