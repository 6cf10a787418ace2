import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { CollectorIntake, CollectorSource, IncomingRecord } from "./collector-records.js";
import { mediaType, readBody, sendJson, sendRefusal } from "./http-body.js";
import { listen, type RunningServer } from "./listening.js";
import { countJsonItems } from "./json-item-count.js";
import { countOtlpItems, otlpRequestShapes } from "./otlp-count.js";
import { decodeLogsRequest, decodeMetricsRequest, decodeTraceRequest, otlpLogRecords, otlpMetricPointCount, otlpSpans } from "./otlp-decode.js";

/** Options of {@link startOtlpHttpInput}. */
export interface OtlpHttpInputOptions {
  readonly host: string;
  readonly port: number;
  readonly maxBodyBytes: number;
}

/** Answers 200 with an empty `Export*ServiceResponse` in the request's encoding. */
function answer(res: ServerResponse, json: boolean): void {
  if (json) {
    sendJson(res, 200, {});
    return;
  }
  res.writeHead(200, { "content-type": "application/x-protobuf", "content-length": 0 });
  res.end();
}

const requestNames: Readonly<Record<string, string>> = {
  "/v1/logs": "ExportLogsServiceRequest",
  "/v1/traces": "ExportTraceServiceRequest",
  "/v1/metrics": "ExportMetricsServiceRequest",
};

/**
 * What a body carries, counted before it is decoded: for protobuf its records (or groups, the larger)
 * and items; for JSON its items only (records are counted once parsed); a string says why a protobuf
 * body is malformed.
 */
function countBeforeDecoding(
  path: string,
  json: boolean,
  body: Uint8Array,
  intake: CollectorIntake,
): { readonly records: number; readonly items: number } | string {
  if (json) return { records: 0, items: countJsonItems(body, intake.maxItemsPerRequest) };
  const { logs, traces, metrics } = otlpRequestShapes;
  const shape = path === "/v1/metrics" ? metrics : path === "/v1/traces" ? traces : logs;
  const counted = countOtlpItems(body, { records: intake.maxRecordsPerRequest, items: intake.maxItemsPerRequest }, shape);
  if ("malformed" in counted) return counted.malformed;
  return { records: Math.max(counted.records, counted.groups), items: counted.items };
}

/** A check run before the body is read: `undefined` lets the request through, else the refusal. */
export type OtlpAuthorizer = (
  req: IncomingMessage,
) => { readonly status: number; readonly reason: string; readonly headers?: Readonly<Record<string, string>> } | undefined;

/**
 * Serves OTLP/HTTP on `source`'s behalf: `POST /v1/traces` and `/v1/logs` with
 * `application/x-protobuf` or `application/json` (OTLP/JSON: hex ids), gzip or deflate bodies;
 * answers 200 with an empty `Export*ServiceResponse` in the request's encoding. `/v1/metrics` is
 * decoded and its data points counted (`counts.metricPoints`, the hop's records), not stored.
 *
 * Failure behaviour: 415 for another content type, 400 for a body that does not decode, 413 above
 * `maxBodyBytes`, `maxRecordsPerRequest` or `maxItemsPerRequest` (counted on the bytes before
 * decoding), 429 over `maxRecordsPerSecond`, 404/405 for other paths or methods; `authorize`
 * refusals as it says. Each refusal counts as an error of the hop. Never throws.
 */
export function createOtlpHttpHandler(
  source: CollectorSource,
  intake: CollectorIntake,
  maxBodyBytes: number,
  authorize?: OtlpAuthorizer,
): (req: IncomingMessage, res: ServerResponse) => void {
  const refuse = (res: ServerResponse, status: number, reason: string, headers?: Readonly<Record<string, string>>): void => {
    intake.reject(source, reason);
    sendJson(res, status, { code: status, message: reason }, headers);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://collector").pathname;
    if (path !== "/v1/traces" && path !== "/v1/logs" && path !== "/v1/metrics") return refuse(res, 404, `no OTLP endpoint at ${path.slice(0, 200)}`);
    if (req.method !== "POST") return refuse(res, 405, `use POST ${path}`, { allow: "POST" });
    const denied = authorize?.(req);
    if (denied !== undefined) {
      req.resume();
      return refuse(res, denied.status, denied.reason, denied.headers);
    }
    const type = mediaType(req);
    const json = type === "application/json";
    if (!json && type !== "application/x-protobuf") {
      req.resume();
      return refuse(res, 415, `unsupported Content-Type ${JSON.stringify(type)}: use application/x-protobuf or application/json`);
    }
    const body = await readBody(req, maxBodyBytes);
    if (!body.ok) return refuse(res, body.status, body.reason);
    // Bodies are counted before decoding: a few KB of gzip can hold millions of empty records or attributes.
    const early = countBeforeDecoding(path, json, body.body, intake);
    if (typeof early === "string") return refuse(res, 400, `${requestNames[path]} does not decode: ${early}`);
    const refusedEarly = intake.admit(source, early.records, early.items);
    if (refusedEarly !== undefined) return sendRefusal(res, refusedEarly);
    const counted = json ? undefined : early;
    if (path === "/v1/metrics") {
      const decoded = decodeMetricsRequest(body.body, json);
      if (!decoded.ok) return refuse(res, 400, `ExportMetricsServiceRequest does not decode: ${decoded.reason}`);
      const points = otlpMetricPointCount(decoded.request);
      const refused = counted === undefined ? intake.admit(source, points) : undefined;
      if (refused !== undefined) return sendRefusal(res, refused);
      intake.acceptMetricPoints?.(source, points);
      return answer(res, json);
    }
    let records: IncomingRecord[];
    if (path === "/v1/traces") {
      const decoded = decodeTraceRequest(body.body, json);
      if (!decoded.ok) return refuse(res, 400, `ExportTraceServiceRequest does not decode: ${decoded.reason}`);
      records = otlpSpans(decoded.request).map((record) => ({ kind: "otlpSpan", record }));
    } else {
      const decoded = decodeLogsRequest(body.body, json);
      if (!decoded.ok) return refuse(res, 400, `ExportLogsServiceRequest does not decode: ${decoded.reason}`);
      records = otlpLogRecords(decoded.request).map((record) => ({ kind: "otlpLog", record }));
    }
    if (counted === undefined) {
      const refused = intake.admit(source, records.length);
      if (refused !== undefined) return sendRefusal(res, refused);
    }
    intake.accept({ source, path, records });
    answer(res, json);
  };
  return (req, res) => {
    handle(req, res).catch((e: unknown) => refuse(res, 500, `internal error: ${e instanceof Error ? e.message : String(e)}`));
  };
}

/** Starts the OTLP/HTTP input (hop `otlpHttp`); see {@link createOtlpHttpHandler}. Rejects only when the port cannot be bound. */
export function startOtlpHttpInput(options: OtlpHttpInputOptions, intake: CollectorIntake): Promise<RunningServer> {
  return listen(createServer(createOtlpHttpHandler("otlpHttp", intake, options.maxBodyBytes)), options.host, options.port, "OTLP/HTTP");
}
