/**
 * A stand-in for Dash0's logs endpoint on 127.0.0.1:0 for the Fluentd out_http tests: records every
 * request (headers, gunzipped JSON body) and answers by a script on the records' `id`s.
 */
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/** One request received. */
export interface FakeDash0Request {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body: a JSON array of records (`json_array true`), after gunzip. */
  readonly records: readonly Record<string, unknown>[];
  /** The status answered. */
  readonly status: number;
}

/** A running stand-in. */
export interface FakeDash0Logs {
  readonly url: string;
  readonly requests: FakeDash0Request[];
  close(): Promise<void>;
}

/**
 * Starts the stand-in. `answer(records, seenBefore)` picks the status of a request; `seenBefore`
 * counts earlier requests carrying the same first record id. Default 200.
 */
export async function startFakeDash0Logs(
  answer: (records: readonly Record<string, unknown>[], seenBefore: number) => number = () => 200,
): Promise<FakeDash0Logs> {
  const requests: FakeDash0Request[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let records: Record<string, unknown>[] = [];
      try {
        const raw = Buffer.concat(chunks);
        const body = req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
        records = JSON.parse(body.toString("utf8")) as Record<string, unknown>[];
      } catch {
        records = []; // recorded as an empty request; the test's assertions then fail visibly
      }
      const firstId = records[0]?.id;
      const seenBefore = requests.filter((r) => r.records[0]?.id === firstId).length;
      const status = answer(records, seenBefore);
      requests.push({ path: req.url ?? "", headers: req.headers, records, status });
      res.writeHead(status, { "content-type": "application/json" }).end("{}");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}/v1/logs`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
