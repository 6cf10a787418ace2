import { StandardLogEntrySchema, valueToPlain, type StandardLogEntry } from "../../generated/index.js";
import type { ReceivedRecord } from "../collector/collector-records.js";
import { otlpLogSource, plainSource } from "../collector/contract-source.js";
import { reverseMap } from "../collector/reverse-mapping.js";
import { incomingOfStored } from "../collector/stored-record.js";

// The pretty line of `emp-telemetry dev`: the form of the client's console output
// (`TELEMETRY_CONSOLE=pretty`, runtime/client/console/pretty-line.ts on its branch), written here
// for records as the collector receives them, until the CLI can use that formatter.

/** Options of {@link devRecordLine}. */
export interface DevLineOptions {
  /** ANSI colours. Default false. */
  readonly colors?: boolean;
}

const reset = "\u001b[0m";
const dim = "\u001b[2m";
const cyan = "\u001b[36m";
const red = "\u001b[31m";
const levels: readonly (readonly [string, string])[] = [
  ["LOG  ", "\u001b[37m"],
  ["DEBUG", "\u001b[34m"],
  ["INFO ", "\u001b[32m"],
  ["WARN ", "\u001b[33m"],
  ["ERROR", "\u001b[31m"],
  ["FATAL", "\u001b[41;97m"],
];
const maxFields = 16;
const maxValueLength = 120;

function clock(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return "??:??:??.???";
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

/** `text` on one line: control characters escaped. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it escapes
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === "\n" ? "\\n" : c === "\t" ? "\\t" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

/** A value after `key=`: bare without white space, else quoted; cut at 120 characters. */
function shown(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  const cut = text.length > maxValueLength ? `${text.slice(0, maxValueLength - 1)}…` : text;
  return /\s/.test(cut) || cut === "" ? JSON.stringify(cut) : oneLine(cut);
}

/** A received log record mapped back to the contract (Fluentd record or OTLP log record), or undefined. */
function logEntryOf(r: ReceivedRecord): StandardLogEntry | undefined {
  const incoming = incomingOfStored(r as unknown as Readonly<Record<string, unknown>>);
  if (incoming === undefined || incoming.kind === "otlpSpan") return undefined;
  const source = incoming.kind === "fluent" ? plainSource(incoming.record, "fluent", incoming.timeNanos) : otlpLogSource(incoming.record);
  return reverseMap(StandardLogEntrySchema, source).message;
}

/**
 * One received record as one readable line, as the client's pretty console prints its own: local
 * time, level, service, message, then the data as `key=value` (at most 16, long values cut), the
 * error with its causes and the first 8 hex digits of the trace id; a span as `SPAN`, its name and
 * duration; then the input it came by and, in red, the contract violations. Pure; never throws.
 *
 * @example `14:03:07.412 INFO  api-server  job queued  emp.job.id=job-1  trace=4bf92f35  via forward`
 */
export function devRecordLine(r: ReceivedRecord, options: DevLineOptions = {}): string {
  const paint = (color: string, text: string): string => (options.colors === true ? `${color}${text}${reset}` : text);
  const tail: string[] = [paint(dim, `via ${r.source}`)];
  if (r.violations.length > 0) tail.push(paint(red, `✗ ${r.violations.map((v) => `${v.key ?? v.path} ${v.rule}`).join(", ")}`));
  if (r.signal === "spans") {
    const x = r.record;
    const duration = (Number(x.endTimeUnixNano) - Number(x.startTimeUnixNano)) / 1e6;
    const trace = typeof x.traceId === "string" ? paint(dim, `trace=${x.traceId.slice(0, 8)}`) : "";
    const head = [paint(dim, clock(Number(x.startTimeUnixNano) / 1e6)), paint(cyan, "SPAN "), paint(cyan, r.service), oneLine(String(x.name ?? ""))];
    return `${head.join(" ")}  ${Number.isFinite(duration) ? `${duration.toFixed(1)} ms  ` : ""}${trace}  ${tail.join("  ")}`;
  }
  const entry = logEntryOf(r);
  if (entry === undefined) return `${paint(dim, clock(r.receivedAtMs))} ?     ${r.service}  ${shown(r.record)}  ${tail.join("  ")}`;
  const [levelName, levelColor] = levels[entry.level >= 0 && entry.level <= 5 ? entry.level : 0] ?? ["LOG  ", ""];
  const parts = [paint(dim, clock(Number(entry.timeUnixNano / 1_000_000n))), paint(levelColor, levelName), paint(cyan, r.service), oneLine(entry.message)];
  const keys = Object.keys(entry.data);
  const fields = keys.slice(0, maxFields).map((k) => `${paint(dim, `${k}=`)}${shown(valueToPlain(entry.data[k]!))}`);
  if (keys.length > maxFields) fields.push(paint(dim, `…+${keys.length - maxFields}`));
  if (entry.error !== undefined)
    fields.push(`${paint(dim, "error=")}${paint(levelColor, shown([entry.error, ...entry.error.causes].map((e) => `${e.type}: ${e.message}`).join(" ← ")))}`);
  if (entry.trace !== undefined && entry.trace.traceId !== "") fields.push(paint(dim, `trace=${entry.trace.traceId.slice(0, 8)}`));
  return `${parts.join(" ")}${fields.length === 0 ? "" : `  ${fields.join(" ")}`}  ${tail.join("  ")}`;
}
