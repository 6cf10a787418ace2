import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { plainRecordOf, type CollectorIntake, type IncomingRecord } from "./collector-records.js";
import { mediaType, readBody, sendJson, sendRefusal } from "./http-body.js";
import { listen, type RunningServer } from "./listening.js";
import { eventTimeOf } from "../wire/forward/protocol.js";
import { decodeAllMsgpack } from "../wire/msgpack-decoder.js";
import { countJsonItems } from "./json-item-count.js";
import { countMsgpackItems, countMsgpackRecords } from "./msgpack-framer.js";
import { parseTimeNanos } from "./reverse-mapping.js";

/** Options of {@link startHttpInput}. */
export interface HttpInputOptions {
  readonly host: string;
  readonly port: number;
  readonly maxBodyBytes: number;
}

/** The record key `in_http` takes the event time from (and removes, as with `keep_time_key false`). */
export const httpTimeKey = "time";

const nanosPerSecond = 1_000_000_000n;

/**
 * The content types taken. Those a web page can POST without a CORS preflight (`text/plain`,
 * `application/x-www-form-urlencoded`, `multipart/form-data`, or none) get 415, so a page the
 * developer visits cannot write records into the collector.
 */
const acceptedTypes: ReadonlySet<string> = new Set(["application/json", "application/x-ndjson", "application/msgpack", "application/x-msgpack"]);

type Parsed = { readonly ok: true; readonly records: readonly unknown[] } | { readonly ok: false; readonly reason: string };

function parseBody(type: string, body: Buffer): Parsed {
  try {
    if (type === "application/msgpack" || type === "application/x-msgpack") {
      const values = decodeAllMsgpack(body);
      if (typeof values === "string") return { ok: false, reason: `msgpack body: ${values}` };
      return { ok: true, records: values.length === 1 && Array.isArray(values[0]) ? values[0] : values };
    }
    if (type === "application/x-ndjson") {
      return {
        ok: true,
        records: body
          .toString("utf8")
          .split("\n")
          .filter((l) => l.trim() !== "")
          .map((l) => JSON.parse(l) as unknown),
      };
    }
    const text = body.toString("utf8");
    const value = JSON.parse(text) as unknown;
    return { ok: true, records: Array.isArray(value) ? value : [value] };
  } catch (e: unknown) {
    return { ok: false, reason: `body does not parse: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Nanoseconds of an `in_http` time: float seconds (number or numeric string) or a msgpack EventTime. */
function httpTimeNanos(v: unknown): bigint | undefined {
  const event = eventTimeOf(v);
  if (event !== undefined) return BigInt(event[0]) * nanosPerSecond + BigInt(event[1]);
  if (typeof v === "string" && /^\d+(\.\d+)?$/.test(v)) return parseTimeNanos(Number(v));
  return typeof v === "number" ? parseTimeNanos(v) : undefined;
}

/** Fluentd's tag of a request path: segments joined with dots (`/app/api` and `/app.api` → `app.api`). */
export function tagOfPath(pathname: string): string {
  return pathname
    .split("/")
    .filter((s) => s !== "")
    .map((s) => decodeURIComponent(s))
    .join(".");
}

async function handle(req: IncomingMessage, res: ServerResponse, options: HttpInputOptions, intake: CollectorIntake): Promise<void> {
  const url = new URL(req.url ?? "/", "http://collector");
  if (req.method !== "POST") return sendJson(res, 405, { error: "use POST /<tag>" }, { allow: "POST" });
  let tag: string;
  try {
    tag = tagOfPath(url.pathname);
  } catch {
    tag = "";
  }
  const refuse = (status: number, reason: string): void => {
    intake.reject("http", reason);
    sendJson(res, status, { error: reason });
  };
  if (tag === "") return refuse(400, "no tag: POST /<tag>");
  const type = mediaType(req);
  if (!acceptedTypes.has(type)) {
    req.resume();
    return refuse(415, `unsupported Content-Type ${JSON.stringify(type)}: use application/json, application/x-ndjson or application/msgpack`);
  }
  const body = await readBody(req, options.maxBodyBytes);
  if (!body.ok) return refuse(body.status, body.reason);
  // Bodies are counted before decoding (a few KB of gzip can hold millions of records or map entries):
  // msgpack records and items, JSON items (its records after parsing).
  const msgpack = type === "application/msgpack" || type === "application/x-msgpack";
  const maxItems = intake.maxItemsPerRequest;
  const early = msgpack
    ? intake.admit("http", countMsgpackRecords(body.body, intake.maxRecordsPerRequest), countMsgpackItems(body.body, maxItems))
    : intake.admit("http", 0, countJsonItems(body.body, maxItems));
  if (early !== undefined) return sendRefusal(res, early);
  const parsed = parseBody(type, body.body);
  if (!parsed.ok) return refuse(400, parsed.reason);
  const refused = msgpack ? undefined : intake.admit("http", parsed.records.length);
  if (refused !== undefined) return sendRefusal(res, refused);
  const queryTime = url.searchParams.get("time");
  const defaultNanos = (queryTime === null ? undefined : httpTimeNanos(queryTime)) ?? BigInt(Date.now()) * 1_000_000n;
  const records: IncomingRecord[] = [];
  for (const raw of parsed.records) {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw) || raw instanceof Uint8Array)
      return refuse(400, "a record is not a JSON object or msgpack map");
    const { [httpTimeKey]: time, ...rest } = raw as Record<string, unknown>;
    const nanos = time === undefined ? defaultNanos : (httpTimeNanos(time) ?? defaultNanos);
    records.push({ kind: "fluent", tag, timeNanos: nanos, record: plainRecordOf(rest) });
  }
  intake.accept({ source: "http", path: url.pathname, records });
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": 0 });
  res.end();
}

/**
 * Starts the Fluentd `in_http`-style input: `POST /<tag>` with one JSON object or an array of them
 * (`application/json`, also `application/x-ndjson`), or msgpack
 * (`application/msgpack`: a map or an array of maps); gzip or deflate bodies. As `in_http` does,
 * a record's `time` key (float seconds or an EventTime) becomes the event time and is removed;
 * else the `?time=` query parameter, else now. Answers 200 with an empty body.
 *
 * Failure behaviour: 415 for other content types (unlike Fluentd, also `json=` form bodies and
 * `text/plain`: a web page can send those without a CORS preflight), 400 for a body that does not parse or a path without a tag, 413 above
 * `maxBodyBytes` or `maxRecordsPerRequest`, 429 over `maxRecordsPerSecond`, 405 for other methods; each counted as an error of the `http` hop. Rejects only
 * when the port cannot be bound.
 */
export function startHttpInput(options: HttpInputOptions, intake: CollectorIntake): Promise<RunningServer> {
  const server = createServer((req, res) => {
    handle(req, res, options, intake).catch((e: unknown) => {
      intake.reject("http", `internal error: ${e instanceof Error ? e.message : String(e)}`);
      sendJson(res, 500, { error: "internal error" });
    });
  });
  return listen(server, options.host, options.port, "http");
}
