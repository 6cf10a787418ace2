// A service as an OpenTelemetry user writes it: @opentelemetry/instrumentation-http registered first,
// then the built @emp/telemetry client (dist/). One outgoing HTTP request inside `trace.span("checkout")`.
// Argument: the OTLP receiver's base URL. Prints "done" once the client has flushed.
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type * as Http from "node:http";

const require = createRequire(import.meta.url);
const { registerInstrumentations } = require("@opentelemetry/instrumentation") as typeof import("@opentelemetry/instrumentation");
const { HttpInstrumentation } = require("@opentelemetry/instrumentation-http") as typeof import("@opentelemetry/instrumentation-http");
registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });
const http = require("node:http") as typeof Http;

const { EmpTelemetryClient } = await import("../../dist/runtime/index.js");
const client = new EmpTelemetryClient({
  env: {},
  serviceName: "api-server",
  serviceType: "api",
  environment: "test",
  handleExitSignals: false,
  fluentd: { enabled: false },
  otlp: { endpoint: process.argv[2] },
});

const server = createServer((_req, res) => res.end("ok"));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as { port: number };
await client.trace.span("checkout", async () => {
  await new Promise<void>((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path: "/inventory" }, (res) => res.resume().on("end", resolve)).on("error", reject);
  });
});
server.close();
await client.shutdown();
process.stdout.write(`done ${String(client.health().registeredGlobally)}\n`);
