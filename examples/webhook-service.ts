// The webhook service: delivers job results to customers, continuing the job's trace.
import { createServer } from "node:http";
import { EmpTelemetryClient } from "../runtime/index.js";
import { announce, readJson, sendJson } from "./http-json.js";

const telemetry = EmpTelemetryClient.forWebhook();

const server = createServer((req, res) => {
  void telemetry.context.extract(req.headers, () =>
    telemetry.trace.span(
      "webhook.deliver",
      async () => {
        const result = await readJson(req);
        const jobId = String(result.id ?? "(unknown)");
        // A real service would POST to the customer's URL here.
        telemetry.log.info(result.ok === true ? "webhook delivered" : "webhook delivered a failure", { "emp.job.id": jobId, "http.response.status_code": 200 });
        sendJson(res, 200, { delivered: jobId });
      },
      { kind: "server" },
    ),
  );
});

server.listen(Number(process.env.PORT ?? 3002), "127.0.0.1", () => {
  const port = (server.address() as { port: number }).port;
  telemetry.log.info("webhook service listening", { "server.port": port });
  announce("webhook-service", port);
});

process.on("SIGTERM", () => {
  server.close();
  void telemetry.shutdown(3000).then(() => process.exit(0));
});
