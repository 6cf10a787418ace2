import path from "node:path";
import { TelemetryConfigError, type ConfigProblem } from "../../errors/telemetry-config-error.js";
import { datasetPattern, plainHttpUrl } from "../option-checks.js";

/** Options of {@link renderFluentdConfig}. */
export interface FluentdConfigOptions {
  /** Address every input binds. Default `0.0.0.0` (Fluent Bit and services reach the aggregator over the network). */
  readonly bind?: string;
  /** `in_forward` port (our client, Fluent Bit's forward output). Default 24224. */
  readonly forwardPort?: number;
  /** `in_http` port (Fluent Bit's http output, the seed's input). Default 8888. */
  readonly httpPort?: number;
  /** `monitor_agent` port (`GET /api/plugins.json`: buffer sizes, retry counts). Default 24220. */
  readonly monitorPort?: number;
  /**
   * Absolute directory of the file buffer (`<dir>/dash0`) and of the chunks that failed for good
   * (`<dir>/failed`). Default `/var/log/fluentd/buffer`.
   */
  readonly bufferDir?: string;
  /**
   * Full URL the logs are posted to. Default `#{ENV.fetch('DASH0_ENDPOINT')}/v1/logs`: Dash0's
   * OTLP/HTTP base URL from Fluentd's environment (as the client reads it) plus the logs path.
   */
  readonly dash0LogsUrl?: string;
  /** Dash0 dataset, sent as `Dash0-Dataset`. Default `default`. */
  readonly dataset?: string;
  /** Seconds between buffer flushes. Default 1. */
  readonly flushIntervalSeconds?: number;
}

/**
 * Defaults of {@link FluentdConfigOptions}, and the delivery settings (fixed):
 * - File buffer (`@type file`, 8 MiB chunks, at most 4 GiB): buffered logs survive a Fluentd
 *   restart or crash. The seed buffered in memory.
 * - Retries: exponential backoff with jitter (1 s doubling to 60 s) for up to 72 hours
 *   (`retry_timeout 72h`) on network errors and 408/429/5xx. The seed's `retry_max_times 3` gave
 *   up after seconds of a Dash0 outage and dropped the chunk.
 * - Nothing is lost silently: a chunk Dash0 refuses for good (401/403/400: a bad token or dataset
 *   is not retried, `error_response_as_unrecoverable`), or one still failing after 72 h, goes to
 *   `<secondary> @type secondary_file` in `<bufferDir>/failed`, to be replayed with
 *   `fluent-cat`/`in_tail`. `retry_forever` was not chosen: it would hold refused chunks forever and
 *   never write them anywhere.
 * - A full buffer raises an error to the input (`overflow_action throw_exception`): `in_forward`
 *   then sends no ack and `in_http` answers 500, so Fluent Bit and our client keep the records and
 *   resend them (back-pressure, not loss).
 * - `suppress_config_dump`: Fluentd would otherwise print the evaluated configuration, the
 *   `Authorization` header value included, in its log at startup.
 */
export const fluentdConfigDefaults = Object.freeze({
  bind: "0.0.0.0",
  forwardPort: 24224,
  httpPort: 8888,
  monitorPort: 24220,
  bufferDir: "/var/log/fluentd/buffer",
  dash0LogsUrlRuby: "#{ENV.fetch('DASH0_ENDPOINT')}/v1/logs",
  dataset: "default",
  flushIntervalSeconds: 1,
  retryTimeout: "72h",
  retryMaxInterval: "60s",
  chunkLimitSize: "8m",
  totalLimitSize: "4g",
  bodySizeLimit: "32m",
  sharedKeyEnv: "FLUENTD_SHARED_KEY",
  apiKeyEnv: "DASH0_API_KEY",
});

const hostPattern = /^[A-Za-z0-9.:-]+$/;

/** A Fluentd single-quoted string: taken literally (no `#{}` evaluation); only `\` and `'` are escaped. */
export function fluentdLiteral(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

function checkOptions(o: FluentdConfigOptions): void {
  const problems: ConfigProblem[] = [];
  const bad = (key: string, value: unknown, problem: string, example: string): void => {
    problems.push({ key, value: value === undefined ? undefined : String(value), problem, example });
  };
  if (o.bind !== undefined && !hostPattern.test(o.bind)) bad("--bind", o.bind, "must be an IP address or host name", "--bind 0.0.0.0");
  for (const [key, port] of [
    ["--forward-port", o.forwardPort],
    ["--http-port", o.httpPort],
    ["--monitor-port", o.monitorPort],
  ] as const) {
    if (port !== undefined && (!Number.isSafeInteger(port) || port < 1 || port > 65535)) bad(key, port, "must be an integer from 1 to 65535", `${key} 24224`);
  }
  const ports = [
    o.forwardPort ?? fluentdConfigDefaults.forwardPort,
    o.httpPort ?? fluentdConfigDefaults.httpPort,
    o.monitorPort ?? fluentdConfigDefaults.monitorPort,
  ];
  if (new Set(ports).size !== ports.length)
    bad("--forward-port/--http-port/--monitor-port", ports.join(","), "must be three different ports", "24224,8888,24220");
  if (o.bufferDir !== undefined && (!path.isAbsolute(o.bufferDir) || /[\n\r\0$]/.test(o.bufferDir)))
    bad("--buffer-dir", o.bufferDir, "must be an absolute path without newlines or `$`", "--buffer-dir /var/log/fluentd/buffer");
  if (o.dash0LogsUrl !== undefined && plainHttpUrl(o.dash0LogsUrl, /[\s'"\\$#]/) === undefined) {
    bad(
      "--dash0-endpoint",
      o.dash0LogsUrl,
      "must be an http(s) URL without credentials, quotes, `$` or `#`",
      "--dash0-endpoint https://ingress.eu-west-1.aws.dash0.com/v1/logs",
    );
  }
  if (o.dataset !== undefined && !datasetPattern.test(o.dataset))
    bad("--dataset", o.dataset, "must be 1..128 letters, digits, `.`, `_` or `-`", "--dataset default");
  const flush = o.flushIntervalSeconds;
  if (flush !== undefined && (!Number.isSafeInteger(flush) || flush < 1 || flush > 3600))
    bad("--flush-interval", flush, "must be an integer from 1 to 3600 (seconds)", "--flush-interval 1");
  if (problems.length > 0) throw new TelemetryConfigError(problems, { subject: "fluentd-config" });
}

/**
 * Renders the Fluentd 1.x aggregator configuration: `in_forward` (shared key
 * `"#{ENV.fetch('FLUENTD_SHARED_KEY')}"`), `in_http` (`body_size_limit 32m`), `monitor_agent`, and
 * one `out_http` match posting every record (JSON array, gzip) to Dash0 with
 * `Authorization: Bearer #{ENV.fetch('DASH0_API_KEY')}` and `Dash0-Dataset`, through a file buffer
 * with long retries and a `secondary_file` for what still fails ({@link fluentdConfigDefaults}).
 * Secrets are read by Fluentd from its environment (`ENV.fetch`: Fluentd refuses to start without
 * them rather than run without authentication); their values never appear here. Fluentd's own logs
 * stay on its stdout. Pure.
 * @throws TelemetryConfigError naming every bad option.
 */
export function renderFluentdConfig(options: FluentdConfigOptions = {}): string {
  checkOptions(options);
  const d = fluentdConfigDefaults;
  const bind = fluentdLiteral(options.bind ?? d.bind);
  const bufferDir = options.bufferDir ?? d.bufferDir;
  const url = options.dash0LogsUrl === undefined ? `"${d.dash0LogsUrlRuby}"` : fluentdLiteral(options.dash0LogsUrl);
  const dataset = options.dataset ?? d.dataset;
  // A JSON object in a double-quoted Fluentd string: `\"` is a quote, `#{}` is evaluated at startup.
  const headers = `"{\\"Authorization\\":\\"Bearer #{ENV.fetch('${d.apiKeyEnv}')}\\",\\"Dash0-Dataset\\":\\"${dataset}\\"}"`;
  return `# Generated by @emp/telemetry (emp-telemetry fluentd-config). Fluentd 1.x aggregator:
# forward + in_http in, monitor_agent, out_http to Dash0 through a file buffer.
# Secrets are read from Fluentd's environment at startup (Fluentd refuses to start without them):
# ${d.sharedKeyEnv}, ${d.apiKeyEnv}${options.dash0LogsUrl === undefined ? ", DASH0_ENDPOINT" : ""}.
# Delivery: file buffer, retries for ${d.retryTimeout} on errors Dash0 may recover from, and chunks that
# still fail (or that Dash0 refuses, e.g. 401) go to ${path.join(bufferDir, "failed")}: nothing is dropped silently.
<system>
  log_level info
  suppress_config_dump true
</system>

<source>
  @type forward
  @id in_forward
  bind ${bind}
  port ${String(options.forwardPort ?? d.forwardPort)}
  <security>
    self_hostname "#{Socket.gethostname}"
    shared_key "#{ENV.fetch('${d.sharedKeyEnv}')}"
  </security>
</source>

<source>
  @type http
  @id in_http
  bind ${bind}
  port ${String(options.httpPort ?? d.httpPort)}
  body_size_limit ${d.bodySizeLimit}
</source>

<source>
  @type monitor_agent
  @id monitor_agent
  bind ${bind}
  port ${String(options.monitorPort ?? d.monitorPort)}
</source>

<label @FLUENT_LOG>
  <match fluent.**>
    @type stdout
  </match>
</label>

<match **>
  @type http
  @id out_dash0
  endpoint ${url}
  http_method post
  content_type application/json
  json_array true
  compress gzip
  headers ${headers}
  retryable_response_codes [408, 429, 500, 502, 503, 504]
  error_response_as_unrecoverable true
  open_timeout 10
  read_timeout 30
  <format>
    @type json
  </format>
  <buffer>
    @type file
    path ${fluentdLiteral(path.join(bufferDir, "dash0"))}
    chunk_limit_size ${d.chunkLimitSize}
    total_limit_size ${d.totalLimitSize}
    flush_mode interval
    flush_interval ${String(options.flushIntervalSeconds ?? d.flushIntervalSeconds)}s
    flush_thread_count 2
    flush_at_shutdown true
    overflow_action throw_exception
    retry_type exponential_backoff
    retry_wait 1s
    retry_max_interval ${d.retryMaxInterval}
    retry_randomize true
    retry_timeout ${d.retryTimeout}
  </buffer>
  <secondary>
    @type secondary_file
    directory ${fluentdLiteral(path.join(bufferDir, "failed"))}
    basename dash0-\${chunk_id}
  </secondary>
</match>
`;
}
