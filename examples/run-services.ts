// Starts the four example services as child processes pointed at a collector, the way they would
// run in a deployment: configuration only through the environment.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** A running example service. */
export interface ServiceProcess {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything it wrote to stderr (diagnostics), for the report. */
  readonly stderr: string[];
}

/** Where the services send their telemetry. */
export interface PipelineEndpoints {
  readonly fluentdPort: number;
  readonly otlpHttpPort: number;
}

/** Environment of a service pointed at the pipeline. */
export function serviceEnv(endpoints: PipelineEndpoints, own: Record<string, string>): NodeJS.ProcessEnv {
  const keep = Object.fromEntries(Object.entries(process.env).filter(([k]) => ["PATH", "HOME", "NODE_OPTIONS", "TMPDIR", "LANG"].includes(k)));
  return {
    ...keep,
    TELEMETRY_ENV: "demo",
    SERVICE_VERSION: "1.0.0",
    FLUENTD_HOST: "127.0.0.1",
    FLUENTD_PORT: String(endpoints.fluentdPort),
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${endpoints.otlpHttpPort}`,
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `http://127.0.0.1:${endpoints.otlpHttpPort}/v1/logs`,
    ...own,
  };
}

/** Starts `examples/<file>` and resolves once it announced itself (`{"ready": name, "port": n}` on stdout). */
export function startService(file: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", join(here, file)], { env, stdio: ["ignore", "pipe", "pipe"] });
  const stderr: string[] = [];
  child.stderr?.on("data", (d: Buffer) => stderr.push(d.toString("utf8")));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${file} did not start within ${timeoutMs} ms:\n${stderr.join("")}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with code ${String(code)} before it was ready:\n${stderr.join("")}`));
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        const msg = JSON.parse(line) as { ready?: string; port?: number };
        if (typeof msg.ready === "string") {
          clearTimeout(timer);
          child.removeAllListeners("exit");
          resolve({ name: msg.ready, port: msg.port ?? 0, child, stderr });
        }
      } catch {
        // other output is the service's own
      }
    });
  });
}

/** Stops services with SIGTERM (their telemetry flushes), SIGKILL after `graceMs`. */
export async function stopServices(services: readonly ServiceProcess[], graceMs = 5000): Promise<void> {
  await Promise.all(
    services.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
          const timer = setTimeout(() => s.child.kill("SIGKILL"), graceMs);
          s.child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          s.child.kill("SIGTERM");
        }),
    ),
  );
}

/** Starts the four example services against the pipeline, in dependency order. */
export async function startExampleServices(endpoints: PipelineEndpoints): Promise<ServiceProcess[]> {
  const webhook = await startService("webhook-service.ts", serviceEnv(endpoints, { SERVICE_NAME: "webhook-service", PORT: "0" }));
  const api = await startService(
    "api-server.ts",
    serviceEnv(endpoints, { SERVICE_NAME: "api-server", PORT: "0", WEBHOOK_URL: `http://127.0.0.1:${webhook.port}` }),
  );
  const machine = await startService("gpu-machine.ts", serviceEnv(endpoints, { SERVICE_NAME: "gpu-machine", MACHINE_ID: "gpu-machine-01" }));
  const worker = await startService(
    "comfyui-worker.ts",
    serviceEnv(endpoints, {
      SERVICE_NAME: "comfyui-worker",
      MACHINE_ID: "gpu-machine-01",
      WORKER_ID: "gpu-machine-01-worker-0",
      API_URL: `http://127.0.0.1:${api.port}`,
    }),
  );
  return [webhook, api, machine, worker];
}
