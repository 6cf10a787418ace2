// Tiny JSON-over-HTTP helpers the example services share (no framework).
import type { IncomingMessage, ServerResponse } from "node:http";

/** Reads a request body as JSON (an empty body is `{}`). */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** Writes a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** POSTs JSON and returns the parsed answer. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return text === "" ? undefined : (JSON.parse(text) as unknown);
}

/** Announces a listening port on stdout for the process that started this one. */
export function announce(name: string, port: number): void {
  process.stdout.write(`${JSON.stringify({ ready: name, port })}\n`);
}
