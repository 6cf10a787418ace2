import { createHash } from "node:crypto";
import path from "node:path";
import type { Secret } from "../../config/secret.js";
import { TelemetryConfigError, type ConfigProblem } from "../../errors/telemetry-config-error.js";

/** One file (or glob) tailed by Fluent Bit, as given to `log.addFile(path, { tag })`. */
export interface FluentBitFileInput {
  /** Absolute path or glob, e.g. `/workspace/logs/*.log`. Spaces and quotes are fine; commas, newlines and `${` are not. */
  readonly path: string;
  /** Fluent Bit / Fluentd tag of its records, e.g. `app.api`: letters, digits, `.`, `_`, `-`. */
  readonly tag: string;
  /**
   * `ndjson` (default): our own entries, parsed with the `emp_ndjson` parser (time from `timestamp`).
   * `raw`: a file another program writes (`logFiles`), each line shipped as the record's `log` key.
   */
  readonly format?: "ndjson" | "raw";
}

/** TLS towards Fluentd. */
export interface FluentBitTlsInput {
  /** Verify the server certificate. Default `true`. */
  readonly verify?: boolean;
  /** PEM file of the CA to trust (absolute path). Default: the system store. */
  readonly caFile?: string;
}

/** Fluentd's `in_forward` as the target (`forward` output, acked). */
export interface FluentBitForwardTarget {
  readonly protocol: "forward";
  /** Fluentd host. */
  readonly host: string;
  /** Fluentd forward port, conventionally 24224. */
  readonly port: number;
  /** `true` or TLS settings to use TLS. Default off. */
  readonly tls?: boolean | FluentBitTlsInput;
  /**
   * The shared key, when Fluentd's `<security>` wants one. Its value is never rendered: the config
   * holds `${<sharedKeyEnv>}` and Fluent Bit must be started with that variable set
   * ({@link fluentBitEnvironment}).
   */
  readonly sharedKey?: Secret;
  /** Environment variable the config reads the shared key from. Default `FLUENTD_SHARED_KEY`. */
  readonly sharedKeyEnv?: string;
  /** Our name in the shared-key handshake (`self_hostname`). Default `fluent-bit`. */
  readonly selfHostname?: string;
}

/** Fluentd's `in_http` as the target (`http` output, JSON, one output per tag: `POST /<tag>`). */
export interface FluentBitHttpTarget {
  readonly protocol: "http";
  /** Fluentd host. */
  readonly host: string;
  /** Fluentd `in_http` port, conventionally 8888. */
  readonly port: number;
  /** `true` or TLS settings to use TLS. Default off. */
  readonly tls?: boolean | FluentBitTlsInput;
}

/** Where Fluent Bit sends the records. */
export type FluentBitTarget = FluentBitForwardTarget | FluentBitHttpTarget;

/** Config file syntax: YAML (`service:` / `parsers:` / `pipeline:`) or classic `[SECTION]` `.conf`. */
export type FluentBitConfigFormat = "yaml" | "classic";

/** What {@link renderFluentBitConfig} renders. Sizes are bytes, times seconds. */
export interface FluentBitConfigInput {
  /** Files tailed, in order (one `tail` input each). May be empty (Fluent Bit then only serves health). */
  readonly files: readonly FluentBitFileInput[];
  /** Absolute directory of Fluent Bit's state: tail offset DBs (`tail-<tag>-<hash>.db`) and `storage/` chunks. */
  readonly stateDir: string;
  /** Fluentd target. */
  readonly target: FluentBitTarget;
  /** Health / reload HTTP server address. Default `127.0.0.1`. */
  readonly httpListen?: string;
  /** Health / reload HTTP server port. Default 2020. */
  readonly httpPort?: number;
  /** Flush interval, seconds. Default 1. */
  readonly flushSeconds?: number;
  /** On SIGTERM, seconds left to flush before exiting. Default 5. */
  readonly graceSeconds?: number;
  /** Fluent Bit log level. Default `info`. */
  readonly logLevel?: "off" | "error" | "warn" | "info" | "debug" | "trace";
  /** `mem_buf_limit` per tail input, bytes. Default 16 MiB. */
  readonly memBufLimitBytes?: number;
  /** `buffer_chunk_size` per tail input (first read buffer, and its growth step), bytes. Default 128 KiB. */
  readonly bufferChunkBytes?: number;
  /** `buffer_max_size` per tail input (the longest line read whole), bytes. Default 1 MiB. */
  readonly bufferMaxBytes?: number;
  /** `skip_long_lines`: `true` drops a line longer than `bufferMaxBytes` and goes on; `false` stops tailing that file. Default `true`. */
  readonly skipLongLines?: boolean;
  /** `retry_limit` of the output: retries per chunk, or `"no_limits"`. Default `"no_limits"`. */
  readonly retryLimit?: number | "no_limits";
  /** `storage.total_limit_size` of the output (disk queue bound; oldest chunks dropped past it), bytes. Default 512 MiB. */
  readonly storageTotalLimitBytes?: number;
  /** Record key holding the RFC 3339 nanosecond time. Default `timestamp` (`standardLogEntryToFluentRecord`). */
  readonly timeKey?: string;
  /** Classic format only: absolute path of the parsers file. Default `<stateDir>/emp-parsers.conf`. */
  readonly parsersFile?: string;
}

/**
 * Defaults of {@link FluentBitConfigInput}, and why:
 * - `bufferChunkBytes` 128 KiB / `bufferMaxBytes` 1 MiB: `tail` reads into a buffer of
 *   `buffer_chunk_size` and grows it by that step up to `buffer_max_size` to hold one whole line.
 *   Our entries are typically under 64 KiB, so one read holds them; the contract's longest message
 *   (32768 runes, up to 4 bytes each, more with JSON escapes) plus data stays well under 1 MiB.
 *   Our entries never reach 1 MiB. A foreign line that does (files added with `logFiles` are written
 *   by other programs) is why `skipLongLines` defaults to `true`: with `skip_long_lines off` Fluent
 *   Bit 4.2.8 stops tailing the whole file at such a line ("requires a larger buffer size, lines are
 *   too long. Skipping file."; verified), losing every later line; `on` drops only that line and
 *   logs it.
 * - `memBufLimitBytes` 16 MiB: the in-memory bound before `tail` pauses; with `storage.type
 *   filesystem` chunks past it wait on disk instead of being dropped.
 * - `retryLimit` `no_limits`: Fluent Bit's own default is 1 retry, which drops logs after a
 *   Fluentd restart of a few seconds. The bound is bytes on disk instead
 *   (`storageTotalLimitBytes` 512 MiB): past it Fluent Bit drops the oldest chunks and counts them.
 * - `graceSeconds` 5: time to flush on SIGTERM; anything left stays in `storage/` and is resent.
 */
export const fluentBitConfigDefaults = Object.freeze({
  httpListen: "127.0.0.1",
  httpPort: 2020,
  flushSeconds: 1,
  graceSeconds: 5,
  logLevel: "info",
  memBufLimitBytes: 16 * 1024 * 1024,
  bufferChunkBytes: 128 * 1024,
  bufferMaxBytes: 1024 * 1024,
  skipLongLines: true,
  retryLimit: "no_limits",
  storageTotalLimitBytes: 512 * 1024 * 1024,
  timeKey: "timestamp",
  sharedKeyEnv: "FLUENTD_SHARED_KEY",
  selfHostname: "fluent-bit",
  parsersFileName: "emp-parsers.conf",
  parserName: "emp_ndjson",
} as const);

/** A tail input after checks: its offsets DB path is derived from tag and path, so it survives reordering. */
export interface ResolvedFluentBitFile {
  readonly path: string;
  readonly tag: string;
  readonly db: string;
  readonly format: "ndjson" | "raw";
}

/** {@link FluentBitConfigInput} checked, defaults applied. Holds no secret value. */
export interface ResolvedFluentBitConfig {
  readonly files: readonly ResolvedFluentBitFile[];
  readonly stateDir: string;
  readonly storagePath: string;
  readonly parsersFile: string;
  readonly target: {
    readonly protocol: "forward" | "http";
    readonly host: string;
    readonly port: number;
    readonly tls: { readonly verify: boolean; readonly caFile: string | undefined } | undefined;
    /** `${NAME}` reference when a shared key is configured (forward only). */
    readonly sharedKeyRef: string | undefined;
    readonly selfHostname: string;
  };
  readonly tags: readonly string[];
  readonly httpListen: string;
  readonly httpPort: number;
  readonly flushSeconds: number;
  readonly graceSeconds: number;
  readonly logLevel: string;
  readonly memBufLimitBytes: number;
  readonly bufferChunkBytes: number;
  readonly bufferMaxBytes: number;
  readonly skipLongLines: boolean;
  readonly retryLimit: number | "no_limits";
  readonly storageTotalLimitBytes: number;
  readonly timeKey: string;
  readonly parserName: string;
}

const tagPattern = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const plainValuePattern = /^[A-Za-z0-9._:-]+$/;
const logLevels: ReadonlySet<string> = new Set(["off", "error", "warn", "info", "debug", "trace"]);

/** Why a path cannot be written into a Fluent Bit config, or `undefined` when it can. */
function pathProblem(value: string, glob: boolean): string | undefined {
  if (!path.isAbsolute(value)) return "must be an absolute path";
  if (/[\n\r\0]/.test(value)) return "must not contain newlines or NUL";
  if (value !== value.trim()) return "must not start or end with whitespace (the classic format trims it)";
  if (value.includes("${")) return "must not contain `${` (Fluent Bit expands it as an environment variable)";
  if (glob && value.includes(",")) return "must not contain `,` (tail splits its path on commas)";
  return undefined;
}

/**
 * Why one file (a path or glob and its tag) cannot be tailed by the generated configuration, or
 * `undefined` when it can: the same rules {@link resolveFluentBitConfigInput} applies, for a caller
 * that registers files one by one (`log.addFile`). Pure; never throws.
 */
export function fluentBitFileProblem(file: Pick<FluentBitFileInput, "path" | "tag">): string | undefined {
  const problem = typeof file.path === "string" ? pathProblem(file.path, true) : "must be a string";
  if (problem !== undefined) return `path ${problem}`;
  if (typeof file.tag !== "string" || !tagPattern.test(file.tag)) return "tag must be dot-separated words of letters, digits, `_` and `-`";
  return undefined;
}

/**
 * Checks `input` and applies {@link fluentBitConfigDefaults}. Pure: reads no environment and no file.
 * @throws TelemetryConfigError (`config_invalid`) naming every problem at once, keys as `fluentBit.<key>`.
 */
export function resolveFluentBitConfigInput(input: FluentBitConfigInput): ResolvedFluentBitConfig {
  const problems: ConfigProblem[] = [];
  const bad = (key: string, value: unknown, problem: string, example: string): void => {
    problems.push({ key: `fluentBit.${key}`, value: value === undefined ? undefined : String(value), problem, example: `fluentBit.${key}=${example}` });
  };
  const d = fluentBitConfigDefaults;
  const int = (key: string, value: number | undefined, fallback: number, min: number, max: number, example: string): number => {
    const v = value ?? fallback;
    if (!Number.isSafeInteger(v) || v < min || v > max) bad(key, v, `must be an integer from ${String(min)} to ${String(max)}`, example);
    return v;
  };

  const stateDir = input.stateDir;
  const stateProblem = typeof stateDir === "string" ? pathProblem(stateDir, false) : "must be a string";
  if (stateProblem !== undefined) bad("stateDir", stateDir, stateProblem, "/var/lib/emp/fluent-bit");

  const files: ResolvedFluentBitFile[] = [];
  const seen = new Set<string>();
  (input.files ?? []).forEach((file, i) => {
    const problem = typeof file.path === "string" ? pathProblem(file.path, true) : "must be a string";
    if (problem !== undefined) bad(`files[${String(i)}].path`, file.path, problem, "/workspace/logs/*.log");
    if (typeof file.tag !== "string" || !tagPattern.test(file.tag))
      bad(`files[${String(i)}].tag`, file.tag, "must be dot-separated words of letters, digits, `_` and `-`", "app.api");
    const key = `${String(file.tag)}\n${String(file.path)}`;
    if (seen.has(key)) bad(`files[${String(i)}]`, `${String(file.path)} (${String(file.tag)})`, "is listed twice", "each path and tag once");
    seen.add(key);
    const hash = createHash("sha256").update(key).digest("hex").slice(0, 12);
    if (file.format !== undefined && file.format !== "ndjson" && file.format !== "raw")
      bad(`files[${String(i)}].format`, file.format, "must be `ndjson` or `raw`", "ndjson");
    const format = file.format ?? "ndjson";
    files.push(Object.freeze({ path: file.path, tag: file.tag, db: path.join(stateDir ?? "", `tail-${String(file.tag)}-${hash}.db`), format }));
  });

  const t = input.target;
  const protocol = t?.protocol;
  if (protocol !== "forward" && protocol !== "http") bad("target.protocol", protocol, "must be `forward` or `http`", "forward");
  const host = t?.host;
  if (typeof host !== "string" || !plainValuePattern.test(host)) bad("target.host", host, "must be a host name or IP address", "fluentd.internal");
  const port = int("target.port", t?.port, 0, 1, 65535, protocol === "http" ? "8888" : "24224");
  let tls: ResolvedFluentBitConfig["target"]["tls"];
  if (t?.tls === true || (typeof t?.tls === "object" && t.tls !== null)) {
    const settings: FluentBitTlsInput = typeof t.tls === "object" ? t.tls : {};
    const caFile = settings.caFile;
    if (caFile !== undefined) {
      const problem = pathProblem(caFile, false);
      if (problem !== undefined) bad("target.tls.caFile", caFile, problem, "/etc/ssl/fluentd-ca.pem");
    }
    tls = Object.freeze({ verify: settings.verify ?? true, caFile });
  }
  let sharedKeyRef: string | undefined;
  let selfHostname: string = d.selfHostname;
  if (t?.protocol === "forward") {
    const envName = t.sharedKeyEnv ?? d.sharedKeyEnv;
    if (!envNamePattern.test(envName)) bad("target.sharedKeyEnv", envName, "must be an environment variable name", d.sharedKeyEnv);
    if (t.sharedKey !== undefined) sharedKeyRef = `\${${envName}}`;
    selfHostname = t.selfHostname ?? d.selfHostname;
    if (!plainValuePattern.test(selfHostname)) bad("target.selfHostname", selfHostname, "must be a host name", "worker-7");
  }

  const httpListen = input.httpListen ?? d.httpListen;
  if (!plainValuePattern.test(httpListen)) bad("httpListen", httpListen, "must be an IP address", d.httpListen);
  const logLevel = input.logLevel ?? d.logLevel;
  if (!logLevels.has(logLevel)) bad("logLevel", logLevel, `must be one of ${[...logLevels].join(", ")}`, d.logLevel);
  const timeKey = input.timeKey ?? d.timeKey;
  if (!/^[A-Za-z0-9_.@-]+$/.test(timeKey)) bad("timeKey", timeKey, "must be a plain record key", d.timeKey);
  const retryLimit = input.retryLimit ?? d.retryLimit;
  if (retryLimit !== "no_limits" && (!Number.isSafeInteger(retryLimit) || retryLimit < 1))
    bad("retryLimit", retryLimit, "must be a positive integer or `no_limits`", "no_limits");
  const bufferChunkBytes = int("bufferChunkBytes", input.bufferChunkBytes, d.bufferChunkBytes, 4096, 2 ** 31, String(d.bufferChunkBytes));
  const bufferMaxBytes = int("bufferMaxBytes", input.bufferMaxBytes, d.bufferMaxBytes, 4096, 2 ** 31, String(d.bufferMaxBytes));
  if (bufferMaxBytes < bufferChunkBytes) bad("bufferMaxBytes", bufferMaxBytes, "must be at least bufferChunkBytes", String(d.bufferMaxBytes));
  const parsersFile = input.parsersFile ?? path.join(stateDir ?? "", d.parsersFileName);
  if (input.parsersFile !== undefined) {
    const problem = pathProblem(input.parsersFile, false);
    if (problem !== undefined) bad("parsersFile", input.parsersFile, problem, "/etc/fluent-bit/emp-parsers.conf");
  }

  const resolved: ResolvedFluentBitConfig = {
    files: Object.freeze(files),
    stateDir,
    storagePath: path.join(stateDir ?? "", "storage"),
    parsersFile,
    target: Object.freeze({ protocol: protocol === "http" ? "http" : "forward", host, port, tls, sharedKeyRef, selfHostname }),
    tags: Object.freeze([...new Set(files.map((f) => f.tag))]),
    httpListen,
    httpPort: int("httpPort", input.httpPort, d.httpPort, 1, 65535, String(d.httpPort)),
    flushSeconds: int("flushSeconds", input.flushSeconds, d.flushSeconds, 1, 3600, String(d.flushSeconds)),
    graceSeconds: int("graceSeconds", input.graceSeconds, d.graceSeconds, 1, 3600, String(d.graceSeconds)),
    logLevel,
    memBufLimitBytes: int("memBufLimitBytes", input.memBufLimitBytes, d.memBufLimitBytes, 65536, 2 ** 40, String(d.memBufLimitBytes)),
    bufferChunkBytes,
    bufferMaxBytes,
    skipLongLines: input.skipLongLines ?? d.skipLongLines,
    retryLimit,
    storageTotalLimitBytes: int(
      "storageTotalLimitBytes",
      input.storageTotalLimitBytes,
      d.storageTotalLimitBytes,
      1024 * 1024,
      2 ** 50,
      String(d.storageTotalLimitBytes),
    ),
    timeKey,
    parserName: d.parserName,
  };
  if (problems.length > 0) throw new TelemetryConfigError(problems);
  return Object.freeze(resolved);
}
