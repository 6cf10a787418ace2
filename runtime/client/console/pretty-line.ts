import type { ErrorInfo, LogLevel, StandardLogEntry, Value } from "../../../generated/index.js";

/** Options of {@link prettyLine}. */
export interface PrettyLineOptions {
  /** ANSI colours (level, service, keys). Default false. */
  readonly colors?: boolean;
}

/** Most data fields shown; the rest are counted (`…+3`). */
const maxFields = 16;
/** Longest value shown, in characters; longer ones end with `…`. */
const maxValueLength = 120;

const reset = "\u001b[0m";
const dim = "\u001b[2m";
const cyan = "\u001b[36m";
const levelLooks: readonly (readonly [name: string, color: string])[] = [
  ["LOG  ", "\u001b[37m"],
  ["DEBUG", "\u001b[34m"],
  ["INFO ", "\u001b[32m"],
  ["WARN ", "\u001b[33m"],
  ["ERROR", "\u001b[31m"],
  ["FATAL", "\u001b[41;97m"],
];

/**
 * One log entry as one readable line, as pino-pretty shows it: local time, level, service, message,
 * then the data as `key=value` (strings bare unless they hold white space, maps and lists
 * compact, long values cut with `…`, at most 16 fields), the error as `error=Type: message ← Cause: message`
 * and the first 8 hex digits of the trace id. Line breaks inside values are escaped, so an entry is
 * always one line. Used by the client's console output (`TELEMETRY_CONSOLE=pretty`) and `emp-telemetry dev`.
 * Pure; never throws (an unreadable part becomes `?`).
 *
 * @example `14:03:07.412 INFO  api-server  signed in  userId=7 route=/login  trace=4bf92f35`
 */
export function prettyLine(entry: StandardLogEntry, options: PrettyLineOptions = {}): string {
  const colors = options.colors === true;
  const paint = (color: string, text: string): string => (colors ? `${color}${text}${reset}` : text);
  const [levelName, levelColor] = levelLooks[levelIndex(entry.level)] ?? ["LOG  ", ""];
  const parts = [paint(dim, clockTime(entry.timeUnixNano)), paint(levelColor, levelName), paint(cyan, entry.service?.name ?? "?"), oneLine(entry.message)];
  const fields: string[] = [];
  const keys = Object.keys(entry.data);
  for (const key of keys.slice(0, maxFields)) fields.push(`${paint(dim, `${key}=`)}${shown(valueText(entry.data[key]))}`);
  if (keys.length > maxFields) fields.push(paint(dim, `…+${keys.length - maxFields}`));
  if (entry.error !== undefined) fields.push(`${paint(dim, "error=")}${paint(levelColor, shown(errorText(entry.error)))}`);
  if (entry.trace !== undefined && entry.trace.traceId !== "") fields.push(paint(dim, `trace=${entry.trace.traceId.slice(0, 8)}`));
  return fields.length === 0 ? parts.join(" ") : `${parts.join(" ")}  ${fields.join(" ")}`;
}

function levelIndex(level: LogLevel): number {
  return typeof level === "number" && level >= 0 && level <= 5 ? level : 0;
}

/** `HH:MM:SS.mmm` in local time. */
function clockTime(nanos: bigint): string {
  const d = new Date(Number(nanos / 1_000_000n));
  if (Number.isNaN(d.getTime())) return "??:??:??.???";
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

/** `text` with line breaks and other control characters escaped, so it stays on one line. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it escapes
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) =>
    c === "\n" ? "\\n" : c === "\t" ? "\\t" : c === "\r" ? "\\r" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A value as shown after `key=`: bare when it has no white space, else quoted; cut at {@link maxValueLength}. */
function shown(text: string): string {
  const cut = text.length > maxValueLength ? `${text.slice(0, maxValueLength - 1)}…` : text;
  return /\s/.test(cut) || cut === "" ? JSON.stringify(cut) : oneLine(cut);
}

/** A typed value as compact text: scalars as they are, an error map as `Type: message`, lists `[a,b]`, maps `{k=v}`. */
function valueText(value: Value | undefined, depth = 0): string {
  const kind = value?.kind;
  if (kind === undefined || kind.case === undefined) return "";
  switch (kind.case) {
    case "stringValue":
      return depth === 0 ? kind.value : JSON.stringify(kind.value);
    case "intValue":
    case "doubleValue":
    case "boolValue":
      return String(kind.value);
    case "listValue":
      return depth > 2 ? "[…]" : `[${kind.value.values.map((v) => valueText(v, depth + 1)).join(",")}]`;
    case "mapValue": {
      const fields = kind.value.fields;
      const type = fields["exception.type"]?.kind;
      const message = fields["exception.message"]?.kind;
      if (type?.case === "stringValue") return `${type.value}: ${message?.case === "stringValue" ? message.value : ""}`;
      if (depth > 2) return "{…}";
      return `{${Object.entries(fields)
        .map(([k, v]) => `${k}=${valueText(v, depth + 1)}`)
        .join(",")}}`;
    }
    default:
      return "?";
  }
}

/** `Type: message ← Cause: message …` (the cause chain, outermost first). */
function errorText(error: ErrorInfo): string {
  return [error, ...error.causes].map((e) => `${e.type}: ${e.message}`).join(" ← ");
}
