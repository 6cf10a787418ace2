// A short, self-ending run of one example service (and what it needs), for
// `emp-telemetry contract-test -- node --import tsx examples/contract-scenario.ts <service>`:
// the contract test points it at its collector through the environment.
import { postJson } from "./http-json.js";
import { type PipelineEndpoints, type ServiceProcess, serviceEnv, startService, stopServices } from "./run-services.js";

const service = process.argv[2] ?? "";
const endpoints: PipelineEndpoints = {
  fluentdPort: Number(process.env.FLUENTD_PORT ?? 24224),
  otlpHttpPort: Number(new URL(process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "http://127.0.0.1:4318").port),
};
const env = (own: Record<string, string>): NodeJS.ProcessEnv => serviceEnv(endpoints, own);
const started: ServiceProcess[] = [];
const start = async (file: string, own: Record<string, string>): Promise<ServiceProcess> => {
  const s = await startService(file, env(own));
  started.push(s);
  return s;
};

async function until(cond: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error("scenario timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

try {
  switch (service) {
    case "webhook": {
      const webhook = await start("webhook-service.ts", { SERVICE_NAME: "webhook-service", PORT: "0" });
      await postJson(`http://127.0.0.1:${webhook.port}/deliver`, { id: "job-1", ok: true });
      break;
    }
    case "api": {
      const webhook = await start("webhook-service.ts", { SERVICE_NAME: "webhook-service", PORT: "0" });
      const api = await start("api-server.ts", { SERVICE_NAME: "api-server", PORT: "0", WEBHOOK_URL: `http://127.0.0.1:${webhook.port}` });
      const { id } = (await postJson(`http://127.0.0.1:${api.port}/jobs`, { prompt: "a cat" })) as { id: string };
      await fetch(`http://127.0.0.1:${api.port}/jobs/next`);
      await postJson(`http://127.0.0.1:${api.port}/results`, { id, ok: true });
      break;
    }
    case "machine":
      await start("gpu-machine.ts", { SERVICE_NAME: "gpu-machine", MACHINE_ID: "gpu-machine-01" });
      break;
    case "worker": {
      const webhook = await start("webhook-service.ts", { SERVICE_NAME: "webhook-service", PORT: "0" });
      const api = await start("api-server.ts", { SERVICE_NAME: "api-server", PORT: "0", WEBHOOK_URL: `http://127.0.0.1:${webhook.port}` });
      await start("comfyui-worker.ts", {
        SERVICE_NAME: "comfyui-worker",
        MACHINE_ID: "gpu-machine-01",
        WORKER_ID: "gpu-machine-01-worker-0",
        API_URL: `http://127.0.0.1:${api.port}`,
      });
      for (const prompt of ["a dog", "please fail"]) await postJson(`http://127.0.0.1:${api.port}/jobs`, { prompt });
      // Done when both results reached the API (which has notified the webhook by then).
      await until(async () => ((await (await fetch(`http://127.0.0.1:${api.port}/jobs/stats`)).json()) as { results: number }).results >= 2);
      break;
    }
    default:
      process.stderr.write("usage: contract-scenario.ts api|webhook|machine|worker\n");
      process.exitCode = 2;
  }
} finally {
  await stopServices(started);
}
