import { isIP } from "node:net";
import { isAbsolute } from "node:path";
import { fluentdProtocols, serviceTypes, type FluentdProtocol, type ServiceType } from "./service-defaults.js";

/** Outcome of parsing one value: the value, or what is wrong with it. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** Turns raw text (env) or a value from code into `T`, or says what is wrong. Never throws. */
export type Parser<T> = (raw: unknown) => Parsed<T>;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (problem: string): Parsed<never> => ({ ok: false, problem });

const truthy: ReadonlySet<string> = new Set(["true", "1", "yes", "on"]);
const falsy: ReadonlySet<string> = new Set(["false", "0", "no", "off"]);
const identifierPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const hostnamePattern = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const unsafeTokenPattern = /[\s\x00-\x1f\x7f]/;
// What an HTTP header value may hold (as the transports check it): no line breaks, controls or characters past U+00FF.
const headerValuePattern = /^[\t\x20-\x7e\x80-\xff]*$/;
const unsendableHeaderValue = "has a value that cannot be sent in an HTTP header (a line break, control or non-Latin-1 character)";

/** A boolean: `true`/`false`, or case-insensitive `true|1|yes|on` / `false|0|no|off`. */
export const parseBoolean: Parser<boolean> = (raw) => {
  if (typeof raw === "boolean") return ok(raw);
  const text = typeof raw === "string" ? raw.toLowerCase() : undefined;
  if (text !== undefined && truthy.has(text)) return ok(true);
  if (text !== undefined && falsy.has(text)) return ok(false);
  return bad("must be true or false (also 1/0, yes/no, on/off)");
};

/** A TCP port: an integer 1..65535 (a number, or digits only). */
export const parsePort: Parser<number> = (raw) => {
  const port = typeof raw === "number" ? raw : typeof raw === "string" && /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? ok(port) : bad("must be an integer from 1 to 65535");
};

/** A positive integer number of bytes. */
export const parseByteCount: Parser<number> = (raw) =>
  typeof raw === "number" && Number.isSafeInteger(raw) && raw > 0 ? ok(raw) : bad("must be a positive integer number of bytes");

/** A name or id: 1..128 letters, digits, `.`, `_`, `:` or `-`, starting with a letter or digit. */
export const parseIdentifier: Parser<string> = (raw) =>
  typeof raw === "string" && identifierPattern.test(raw)
    ? ok(raw)
    : bad("must be 1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");

/** Text with no whitespace or control characters (a version, a dataset, a token), 1..1024 long. */
export const parseToken: Parser<string> = (raw) =>
  typeof raw === "string" && raw.length > 0 && raw.length <= 1024 && !unsafeTokenPattern.test(raw)
    ? ok(raw)
    : bad("must be 1 to 1024 characters with no spaces or control characters");

/** One of `api`, `webhook`, `machine`, `worker` (case-insensitive). */
export const parseServiceType: Parser<ServiceType> = (raw) => {
  const text = typeof raw === "string" ? raw.toLowerCase() : undefined;
  const type = serviceTypes.find((candidate) => candidate === text);
  return type === undefined ? bad(`must be one of ${serviceTypes.join(", ")}`) : ok(type);
};

/** `forward` or `http` (case-insensitive). */
export const parseFluentdProtocol: Parser<FluentdProtocol> = (raw) => {
  const text = typeof raw === "string" ? raw.toLowerCase() : undefined;
  const protocol = fluentdProtocols.find((candidate) => candidate === text);
  return protocol === undefined ? bad(`must be one of ${fluentdProtocols.join(", ")}`) : ok(protocol);
};

/** A host name or IP address, with no scheme, path or port. */
export const parseHost: Parser<string> = (raw) => {
  if (typeof raw !== "string") return bad("must be a host name or IP address");
  if (raw.includes("://")) return bad("must be a host name, not a URL: drop the scheme");
  if (isIP(raw) !== 0 || hostnamePattern.test(raw)) return ok(raw);
  if (/^[^:/]+:\d+$/.test(raw)) return bad("must be a host name without a port: put the port in the port setting");
  return bad("must be a host name or IP address");
};

/** An absolute directory path. */
export const parseAbsolutePath: Parser<string> = (raw) =>
  typeof raw === "string" && raw.length > 0 && isAbsolute(raw) ? ok(raw) : bad("must be an absolute path");

/** OTLP compression: `gzip` (true) or `none` (false); a boolean from code. */
export const parseCompression: Parser<boolean> = (raw) => {
  if (typeof raw === "boolean") return ok(raw);
  const text = typeof raw === "string" ? raw.toLowerCase() : undefined;
  return text === "gzip" ? ok(true) : text === "none" ? ok(false) : bad("must be gzip or none");
};

/**
 * An `http:` or `https:` URL without user or password (fetch refuses those; send credentials in
 * headers). Returns the URL as given.
 */
export const parseHttpUrl: Parser<string> = (raw) => {
  if (typeof raw !== "string" || !URL.canParse(raw)) return bad("must be an http:// or https:// URL");
  const url = new URL(raw);
  if (url.protocol !== "http:" && url.protocol !== "https:") return bad("must be an http:// or https:// URL");
  if (url.username !== "" || url.password !== "") return bad("must not contain a user or password: send credentials in headers");
  return ok(raw);
};

/**
 * An OTLP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`, `DASH0_ENDPOINT`): an {@link parseHttpUrl} URL
 * that does not already end in a signal path, since `/v1/traces` and `/v1/logs` are appended.
 */
export const parseOtlpBaseUrl: Parser<string> = (raw) => {
  const parsed = parseHttpUrl(raw);
  if (!parsed.ok) return parsed;
  const signalPath = /\/v1\/(traces|logs|metrics)\/?$/.exec(new URL(parsed.value).pathname);
  if (signalPath !== null) {
    return bad(`is a base URL and must not end in ${signalPath[0]}: the signal path is appended (use the signal-specific endpoint for a full URL)`);
  }
  return parsed;
};

/**
 * OTLP headers: `k=v,k2=v2` (OTel spec: keys and values URL-decoded, surrounding spaces trimmed) or
 * a record from code. Problems name entries by position, never by content, as values are secrets.
 */
export const parseOtlpHeaders: Parser<Readonly<Record<string, string>>> = (raw) => {
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const entries = Object.entries(raw as Record<string, unknown>);
    const badEntry = entries.findIndex(([key, value]) => !isHeaderName(key) || typeof value !== "string");
    if (badEntry >= 0) return bad(`entry ${String(badEntry + 1)} must be a header name with a string value`);
    const unsendable = entries.findIndex(([, value]) => !headerValuePattern.test(value as string));
    if (unsendable >= 0) return bad(`entry ${String(unsendable + 1)} ${unsendableHeaderValue}`);
    return ok(Object.fromEntries(entries) as Record<string, string>);
  }
  if (typeof raw !== "string") return bad("must be k=v pairs separated by commas");
  const headers: Record<string, string> = {};
  const entries = raw.split(",");
  for (const [index, entry] of entries.entries()) {
    const where = `entry ${String(index + 1)}`;
    const equals = entry.indexOf("=");
    if (equals < 0) return bad(`${where} has no '=': must be k=v pairs separated by commas`);
    const key = decode(entry.slice(0, equals).trim());
    const value = decode(entry.slice(equals + 1).trim());
    if (key === undefined || value === undefined) return bad(`${where} has a malformed %-escape`);
    if (!isHeaderName(key)) return bad(`${where} has an invalid header name`);
    if (!headerValuePattern.test(value)) return bad(`${where} ${unsendableHeaderValue}`);
    headers[key] = value;
  }
  return ok(headers);
};

function isHeaderName(key: string): boolean {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key);
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined; // reported by the caller as a malformed escape
  }
}
