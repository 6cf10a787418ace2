import { isIP } from "node:net";
import { maxTimerMs } from "./option-problems.js";
import { otlpProtocols, type OtlpProtocol } from "./otlp-endpoints.js";
import { type Parsed, type Parser, parseHttpUrl } from "./parse-values.js";
import { type TraceSamplerName, traceSamplerNames } from "./trace-sampler-names.js";

// Parsers of the OpenTelemetry variables' values (the SDK configuration spec's forms).

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (problem: string): Parsed<never> => ({ ok: false, problem });

/** An OTLP endpoint as given: a URL, or a gRPC `host:port` with no scheme (`ingress.eu-west-1.aws.dash0.com:4317`). */
export interface OtlpEndpointValue {
  /** The URL as given, or `host:port`. */
  readonly text: string;
  /** Whether it was given as `host:port`: no scheme, so gRPC, and the scheme is decided by the target. */
  readonly hostPort: boolean;
}

const hostPortPattern = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?):(\d{1,5})$/;

/** An `http(s)://` URL (no user or password) or a `host:port` (IPv6 in brackets), as gRPC endpoints are often written. */
export const parseOtlpEndpoint: Parser<OtlpEndpointValue> = (raw) => {
  if (typeof raw === "string") {
    const hostPort = hostPortPattern.exec(raw);
    if (hostPort !== null) {
      const host = (hostPort[1] ?? "").replace(/^\[|\]$/g, "");
      const port = Number(hostPort[2]);
      const hostOk = !hostPort[1]?.startsWith("[") || isIP(host) === 6;
      if (hostOk && port >= 1 && port <= 65535) return ok({ text: raw, hostPort: true });
    }
  }
  const url = parseHttpUrl(raw);
  if (!url.ok) return bad(url.problem.includes("user") ? url.problem : "must be an http:// or https:// URL, or host:port for gRPC");
  return ok({ text: url.value, hostPort: false });
};

/** `http/protobuf`, `http/json` or `grpc` (case-insensitive). */
export const parseOtlpProtocol: Parser<OtlpProtocol> = (raw) => {
  const text = typeof raw === "string" ? raw.toLowerCase() : undefined;
  const protocol = otlpProtocols.find((candidate) => candidate === text);
  return protocol === undefined ? bad(`must be one of ${otlpProtocols.join(", ")}`) : ok(protocol);
};

/** A whole number of milliseconds a timer accepts, 1..2147483647 (digits in the environment). */
export const parseMilliseconds: Parser<number> = (raw) => {
  const value = typeof raw === "number" ? raw : typeof raw === "string" && /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isInteger(value) && value >= 1 && value <= maxTimerMs ? ok(value) : bad(`must be a whole number of milliseconds, 1..${String(maxTimerMs)}`);
};

/** A limit: a whole number ≥ 0 (digits in the environment). */
export const parseLimit: Parser<number> = (raw) => {
  const value = typeof raw === "number" ? raw : typeof raw === "string" && /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(value) && value >= 0 ? ok(value) : bad("must be a whole number, 0 or more");
};

/** A ratio 0..1 (a number, or its decimal text). */
export const parseRatio: Parser<number> = (raw) => {
  const value = typeof raw === "number" ? raw : typeof raw === "string" && /^\d*\.?\d+(e-?\d+)?$/i.test(raw) ? Number(raw) : Number.NaN;
  return Number.isFinite(value) && value >= 0 && value <= 1 ? ok(value) : bad("must be a number from 0 to 1");
};

/** A file path (of a PEM certificate): any non-empty path; it is read and checked afterwards. */
export const parseFilePath: Parser<string> = (raw) =>
  typeof raw === "string" && raw.length > 0 && !raw.includes("\0") ? ok(raw) : bad("must be the path of a PEM file");

/** `OTEL_*_EXPORTER`: `otlp` (true) or `none` (false), or a boolean from code. We export only over OTLP. */
export const parseExporterSwitch: Parser<boolean> = (raw) => {
  if (typeof raw === "boolean") return ok(raw);
  const text = typeof raw === "string" ? raw.toLowerCase() : undefined;
  return text === "otlp" ? ok(true) : text === "none" ? ok(false) : bad("must be otlp or none (@emp/telemetry exports over OTLP only)");
};

/** What `OTEL_LOG_LEVEL` means for our diagnostics: on for `debug`, `verbose`, `all`; off for the rest. */
export const parseOtelLogLevel: Parser<boolean> = (raw) => {
  const text = typeof raw === "string" ? raw.toLowerCase() : undefined;
  if (text === "debug" || text === "verbose" || text === "all") return ok(true);
  if (text === "info" || text === "warn" || text === "error" || text === "none") return ok(false);
  return bad("must be one of none, error, warn, info, debug, verbose, all");
};

/** Metric temporality: `cumulative` or `delta`; OTel's `lowmemory` (delta for counters and histograms, all we have) is `delta`. */
export const parseTemporality: Parser<"cumulative" | "delta"> = (raw) => {
  const text = typeof raw === "string" ? raw.toLowerCase() : undefined;
  if (text === "cumulative") return ok("cumulative");
  if (text === "delta" || text === "lowmemory") return ok("delta");
  return bad("must be cumulative, delta or lowmemory");
};

/** One of {@link TraceSamplerName} (case-insensitive). */
export const parseSamplerName: Parser<TraceSamplerName> = (raw) => {
  const text = typeof raw === "string" ? raw.toLowerCase() : undefined;
  const name = traceSamplerNames.find((candidate) => candidate === text);
  return name === undefined ? bad(`must be one of ${traceSamplerNames.join(", ")}`) : ok(name);
};

/**
 * `OTEL_RESOURCE_ATTRIBUTES`: `k=v,k2=v2` with keys and values percent-decoded (OTel's W3C-baggage-like
 * form), or a record of strings from code. Empty keys and malformed escapes are problems.
 */
export const parseResourceAttributes: Parser<Readonly<Record<string, string>>> = (raw) => {
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const entries = Object.entries(raw as Record<string, unknown>);
    const badEntry = entries.findIndex(([key, value]) => key === "" || typeof value !== "string");
    return badEntry >= 0
      ? bad(`entry ${String(badEntry + 1)} must be a non-empty key with a string value`)
      : ok(Object.fromEntries(entries) as Record<string, string>);
  }
  if (typeof raw !== "string") return bad("must be k=v pairs separated by commas");
  const attributes: Record<string, string> = {};
  for (const [index, entry] of raw.split(",").entries()) {
    if (entry.trim() === "") continue;
    const where = `entry ${String(index + 1)}`;
    const equals = entry.indexOf("=");
    if (equals <= 0) return bad(`${where} must be key=value`);
    const key = percentDecode(entry.slice(0, equals).trim());
    const value = percentDecode(entry.slice(equals + 1).trim());
    if (key === undefined || value === undefined) return bad(`${where} has a malformed %-escape`);
    if (key === "") return bad(`${where} has an empty key`);
    attributes[key] = value;
  }
  return ok(attributes);
};

function percentDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * A base endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT`): a {@link parseOtlpEndpoint} value whose URL does not already
 * end in a signal path, since `/v1/<signal>` is appended for HTTP.
 */
export const parseOtlpBaseEndpoint: Parser<OtlpEndpointValue> = (raw) => {
  const parsed = parseOtlpEndpoint(raw);
  if (!parsed.ok || parsed.value.hostPort) return parsed;
  const signalPath = /\/v1\/(traces|logs|metrics)\/?$/.exec(new URL(parsed.value.text).pathname);
  if (signalPath !== null) {
    return bad(`is a base URL and must not end in ${signalPath[0]}: the signal path is appended (use the signal-specific endpoint for a full URL)`);
  }
  return parsed;
};
