// An OTLP/HTTP receiver in its own process, for benchmarks: decodes every trace export with the
// protobuf-es code generated from the OTLP protos and answers `{ get: serviceName }` IPC messages
// with the number of spans received from that service (resource attribute service.name).
import { createServer } from "node:http";
import { gunzipSync } from "node:zlib";
import { fromBinary } from "@bufbuild/protobuf";
import { ExportTraceServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";

const counts = new Map<string, number>();

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    try {
      let body = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
      const request = fromBinary(ExportTraceServiceRequestSchema, body);
      for (const rs of request.resourceSpans) {
        const name = rs.resource?.attributes.find((a) => a.key === "service.name")?.value?.value.value;
        const n = rs.scopeSpans.reduce((sum, ss) => sum + ss.spans.length, 0);
        counts.set(String(name), (counts.get(String(name)) ?? 0) + n);
      }
      res.writeHead(200, { "content-type": "application/x-protobuf" });
      res.end();
    } catch {
      res.writeHead(400);
      res.end();
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address !== null ? address.port : 0 });
});
process.on("message", (m: { get?: string }) => {
  if (typeof m.get === "string") process.send?.({ tag: m.get, count: counts.get(m.get) ?? 0 });
});
