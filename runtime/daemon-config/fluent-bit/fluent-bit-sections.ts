import type { ResolvedFluentBitConfig } from "./fluent-bit-config-input.js";

/** One `key value` property; values are text exactly as Fluent Bit should read them. */
export type FluentBitProperty = readonly [key: string, value: string];

/** A format-neutral Fluent Bit config: the renderers only change the syntax. */
export interface FluentBitSections {
  readonly service: readonly FluentBitProperty[];
  readonly parsers: readonly (readonly FluentBitProperty[])[];
  readonly inputs: readonly (readonly FluentBitProperty[])[];
  readonly outputs: readonly (readonly FluentBitProperty[])[];
}

const onOff = (value: boolean): string => (value ? "on" : "off");

/** TLS properties shared by both outputs. */
function tlsProperties(config: ResolvedFluentBitConfig): FluentBitProperty[] {
  const tls = config.target.tls;
  if (tls === undefined) return [["tls", "off"]];
  const props: FluentBitProperty[] = [
    ["tls", "on"],
    ["tls.verify", onOff(tls.verify)],
  ];
  if (tls.caFile !== undefined) props.push(["tls.ca_file", tls.caFile]);
  return props;
}

/**
 * The sections of the config for `config`: service (health server, hot reload, filesystem storage),
 * the `emp_ndjson` JSON parser, one `tail` input per file and the output(s): one `forward` output
 * matching every tag, or one `http` output per tag posting to `/<tag>` (Fluentd's `in_http` takes
 * the tag from the path). Pure. `parsersFile` adds `parsers_file` to the service (classic format).
 */
export function fluentBitSections(config: ResolvedFluentBitConfig, parsersFile?: string): FluentBitSections {
  const service: FluentBitProperty[] = [
    ["flush", String(config.flushSeconds)],
    ["grace", String(config.graceSeconds)],
    ["log_level", config.logLevel],
    ["http_server", "on"],
    ["http_listen", config.httpListen],
    ["http_port", String(config.httpPort)],
    ["health_check", "on"],
    ["hot_reload", "on"],
    ["storage.path", config.storagePath],
    ["storage.sync", "normal"],
    ["storage.checksum", "off"],
  ];
  if (parsersFile !== undefined) service.push(["parsers_file", parsersFile]);

  const parser: FluentBitProperty[] = [
    ["name", config.parserName],
    ["format", "json"],
    ["time_key", config.timeKey],
    ["time_format", "%Y-%m-%dT%H:%M:%S.%LZ"],
    ["time_keep", "on"],
  ];

  const inputs = config.files.map((file): FluentBitProperty[] => [
    ["name", "tail"],
    ["tag", file.tag],
    ["path", file.path],
    ...(file.format === "ndjson" ? [["parser", config.parserName] as FluentBitProperty] : []),
    ["db", file.db],
    ["db.locking", "true"],
    ["read_from_head", "true"],
    ["mem_buf_limit", String(config.memBufLimitBytes)],
    ["buffer_chunk_size", String(config.bufferChunkBytes)],
    ["buffer_max_size", String(config.bufferMaxBytes)],
    ["skip_long_lines", onOff(config.skipLongLines)],
    ["storage.type", "filesystem"],
  ]);

  const common: FluentBitProperty[] = [
    ["host", config.target.host],
    ["port", String(config.target.port)],
    ["retry_limit", String(config.retryLimit)],
    ["storage.total_limit_size", String(config.storageTotalLimitBytes)],
  ];
  const outputs: FluentBitProperty[][] = [];
  if (config.target.protocol === "forward") {
    const forward: FluentBitProperty[] = [["name", "forward"], ["match", "*"], ...common];
    forward.push(["require_ack_response", "true"], ["retain_metadata_in_forward_mode", "false"]);
    if (config.target.sharedKeyRef !== undefined) forward.push(["shared_key", config.target.sharedKeyRef], ["self_hostname", config.target.selfHostname]);
    forward.push(...tlsProperties(config));
    outputs.push(forward);
  } else {
    for (const tag of config.tags) {
      outputs.push([
        ["name", "http"],
        ["match", tag],
        ...common,
        ["uri", `/${tag}`],
        ["format", "json"],
        ["json_date_key", "time"],
        ["json_date_format", "double"],
        ...tlsProperties(config),
      ]);
    }
  }
  return { service, parsers: [parser], inputs, outputs };
}
