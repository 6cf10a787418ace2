import type { IncomingMessage, ServerResponse } from "node:http";
import { gunzip, inflate } from "node:zlib";
import { promisify } from "node:util";
import type { BatchRefusal } from "./collector-records.js";

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** A request body read by {@link readBody}, or the status to answer. */
export type BodyResult = { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly status: 400 | 413 | 415; readonly reason: string };

/**
 * Reads a request body of at most `maxBytes`, decoding `Content-Encoding: gzip` or `deflate`
 * (also bounded by `maxBytes`). Never rejects: a larger body gives 413, a broken encoding 400, an
 * unknown one 415. A request aborted mid-body resolves 400.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes) {
    req.resume();
    return { ok: false, status: 413, reason: `body of ${declared} bytes exceeds ${maxBytes}` };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        req.resume();
        return { ok: false, status: 413, reason: `body exceeds ${maxBytes} bytes` };
      }
      chunks.push(chunk);
    }
  } catch (e: unknown) {
    return { ok: false, status: 400, reason: `body not received: ${e instanceof Error ? e.message : String(e)}` };
  }
  const raw = Buffer.concat(chunks);
  const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase().trim();
  if (encoding === "identity" || encoding === "") return { ok: true, body: raw };
  if (encoding !== "gzip" && encoding !== "deflate") return { ok: false, status: 415, reason: `unsupported Content-Encoding ${JSON.stringify(encoding)}` };
  try {
    const body = await (encoding === "gzip" ? gunzipAsync : inflateAsync)(raw, { maxOutputLength: maxBytes });
    return { ok: true, body };
  } catch (e: unknown) {
    const tooLarge = e instanceof RangeError || (e as { code?: unknown } | null)?.code === "ERR_BUFFER_TOO_LARGE";
    return tooLarge
      ? { ok: false, status: 413, reason: `decoded body exceeds ${maxBytes} bytes` }
      : { ok: false, status: 400, reason: `body does not ${encoding}-decode: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The media type of a request, lower-case, without parameters (`application/json`). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Answers with a status and a JSON body. Never throws (a response already sent is left alone). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Answers a batch the intake refused (already counted): 413, or 429 with `Retry-After: 1`. */
export function sendRefusal(res: ServerResponse, refusal: BatchRefusal): void {
  sendJson(res, refusal.status, { code: refusal.status, message: refusal.reason }, refusal.status === 429 ? { "retry-after": "1" } : {});
}
