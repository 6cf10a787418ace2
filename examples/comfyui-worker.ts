// A worker: takes jobs from the API, processes them with progress, reports results.
import { EmpTelemetryClient } from "../runtime/index.js";
import { announce, postJson } from "./http-json.js";

const telemetry = EmpTelemetryClient.forWorker({ connectorType: "comfyui" });
const apiUrl = process.env.API_URL ?? "http://127.0.0.1:3001";
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class JobFailedError extends Error {
  override name = "JobFailedError";
  readonly canRetry = false;
}

let running = true;
process.on("SIGTERM", () => {
  running = false;
  void telemetry.shutdown(3000).then(() => process.exit(0));
});
announce("comfyui-worker", 0);

while (running) {
  const res = await fetch(`${apiUrl}/jobs/next`).catch(() => undefined);
  if (res === undefined || res.status !== 200) {
    await pause(50);
    continue;
  }
  const job = (await res.json()) as { id: string; type: string; prompt: string };
  let ok = true;
  let carrier: Record<string, string> = {};
  try {
    await telemetry.job.process(job, async (j, ctl) => {
      carrier = telemetry.context.inject({});
      ctl.progress(10, "loading model");
      await pause(10);
      if (j.prompt.includes("fail")) throw new JobFailedError("the sampler produced NaNs");
      ctl.progress(60, "sampling", { current: 12, total: 20 });
      await pause(10);
      ctl.progress(100, "encoding");
    });
  } catch {
    ok = false;
  }
  await postJson(`${apiUrl}/results`, { id: job.id, ok }, carrier);
}
