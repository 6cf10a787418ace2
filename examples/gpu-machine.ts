// A GPU machine: its three startup phases, traced, then ready for workers.
import { EmpTelemetryClient } from "../runtime/index.js";
import { announce } from "./http-json.js";

const telemetry = EmpTelemetryClient.forMachine({
  machineType: "comfyui",
  logFiles: ["/workspace/logs/*.log"],
  startupPhases: ["hardware_detection", "service_startup", "worker_ready"],
});

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

await telemetry.startup.begin();
await telemetry.startup.phase("hardware_detection", async () => {
  await pause(20);
  telemetry.log.info("GPUs detected", { "app.gpu.count": 1, "app.gpu.model": "RTX 4090" });
});
await telemetry.startup.phase("service_startup", async () => {
  await pause(30);
  telemetry.log.info("ComfyUI started", { "server.port": 8188 });
});
await telemetry.startup.phase("worker_ready", async () => {
  await pause(10);
});
const report = await telemetry.startup.complete({ "app.workers": 1 });
telemetry.log.info("machine ready", { "emp.startup.duration_ms": report.totalDurationMs });
announce("gpu-machine", 0);

process.on("SIGTERM", () => {
  void telemetry.shutdown(3000).then(() => process.exit(0));
});
setInterval(() => undefined, 60_000);
