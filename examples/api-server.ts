// The API server: takes jobs from clients, queues them for workers with their trace context, and
// hands finished jobs to the webhook service.
import { createServer } from "node:http";
import { EmpTelemetryClient } from "../runtime/index.js";
import { announce, postJson, readJson, sendJson } from "./http-json.js";

const telemetry = EmpTelemetryClient.forAPI({ healthEndpoint: "/health/telemetry", autoStartupTrace: true });
const log = telemetry.log.child({ "app.component": "http" });
const webhookUrl = process.env.WEBHOOK_URL ?? "http://127.0.0.1:3002";

type QueuedJob = {
  id: string;
  type: string;
  prompt: string;
  traceparent?: string;
  tracestate?: string;
};

const queue: QueuedJob[] = [];
let nextId = 1;
let results = 0;
const health = telemetry.createHealthHandler();

const server = createServer((req, res) => {
  if (health(req, res)) return;
  const route = `${req.method ?? ""} ${(req.url ?? "").split("?")[0] ?? ""}`;
  // Continue the caller's trace when the request carries one (workers posting results do).
  void telemetry.context.extract(req.headers, () =>
    telemetry.trace.span(
      route,
      async (span) => {
        try {
          if (route === "POST /jobs") {
            const body = await readJson(req);
            const job: QueuedJob = telemetry.context.inject({ id: `job-${nextId++}`, type: String(body.type ?? "txt2img"), prompt: String(body.prompt ?? "") });
            queue.push(job);
            telemetry.job.record(job, "received", "queued for a worker");
            log.info("job queued", { "emp.job.id": job.id, "emp.job.type": job.type, "app.queue.depth": queue.length });
            sendJson(res, 202, { id: job.id });
          } else if (route === "GET /jobs/next") {
            const job = queue.shift();
            if (job === undefined) sendJson(res, 204, {});
            else sendJson(res, 200, job);
          } else if (route === "GET /jobs/stats") {
            sendJson(res, 200, { queued: queue.length, results });
          } else if (route === "POST /results") {
            const result = await readJson(req);
            results++;
            log.info("job result received", { "emp.job.id": String(result.id), "app.job.ok": result.ok === true });
            await telemetry.trace.span(
              "webhook.notify",
              () => postJson(`${webhookUrl}/deliver`, result, telemetry.context.inject({}) as Record<string, string>),
              { kind: "client" },
            );
            sendJson(res, 200, {});
          } else {
            sendJson(res, 404, { error: "not found" });
          }
          span.setAttribute("http.response.status_code", res.statusCode);
        } catch (error: unknown) {
          log.error("request failed", error);
          if (!res.headersSent) sendJson(res, 500, { error: "internal" });
        }
      },
      { kind: "server", attributes: { "http.request.method": req.method ?? "", "url.path": req.url ?? "" } },
    ),
  );
});

server.listen(Number(process.env.PORT ?? 3001), "127.0.0.1", async () => {
  const port = (server.address() as { port: number }).port;
  await telemetry.startup.complete({ "server.port": port });
  telemetry.log.info("API server listening", { "server.port": port });
  announce("api-server", port);
});

process.on("SIGTERM", () => {
  server.close();
  void telemetry.shutdown(3000).then(() => process.exit(0));
});
