// Realistic flows of the four service profiles, each its own client, sharing one set of receivers
// the way they share one pipeline: attribution, parent/child links across services, correlation,
// event order and key names, decoded from the wire.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type Receivers, startHarness } from "../helpers/client-harness.js";
import { startForwardReceiver } from "../helpers/forward-receiver.js";
import { startOtlpReceiver } from "../helpers/otlp-receiver.js";

let receivers: Receivers;
let api: Harness;
let webhook: Harness;
let machine: Harness;
let worker: Harness;

beforeAll(async () => {
  receivers = { fluentd: await startForwardReceiver(), otlp: await startOtlpReceiver() };
  api = await startHarness({ serviceName: "api-server", serviceType: "api", serviceVersion: "2.0.0" }, receivers);
  webhook = await startHarness({ serviceName: "webhook-service", serviceType: "webhook" }, receivers);
  machine = await startHarness(
    {
      serviceName: "gpu-machine",
      serviceType: "machine",
      machineId: "machine-7",
      machineType: "comfyui",
      startupPhases: ["hardware_detection", "service_startup", "worker_ready"],
    },
    receivers,
  );
  worker = await startHarness(
    { serviceName: "comfyui-worker", serviceType: "worker", machineId: "machine-7", workerId: "machine-7-worker-0", connectorType: "comfyui" },
    receivers,
  );
});

afterAll(async () => {
  for (const h of [api, webhook, machine, worker]) await h.close();
  await receivers.fluentd.close();
  await receivers.otlp.close();
});

describe("the four profiles together", () => {
  it("run a job from the API through a queue to a worker and out through a webhook, in one trace", async () => {
    // API: receives a job and puts it on the queue with its trace context.
    const queue: Record<string, unknown>[] = [];
    await api.client.trace.span(
      "POST /jobs",
      async () => {
        api.client.job.record({ id: "job-100", type: "txt2img" }, "received", "accepted from client");
        queue.push(api.client.context.inject({ id: "job-100", type: "txt2img", prompt: "a cat" }));
      },
      { kind: "server" },
    );

    // Machine: three startup phases.
    await machine.client.startup.begin();
    for (const phase of ["hardware_detection", "service_startup", "worker_ready"]) await machine.client.startup.phase(phase, async () => phase);
    await machine.client.startup.complete({ gpus: 1 });

    // Worker: claims the job, processes it with progress.
    const job = queue.shift()!;
    await worker.client.job.process(job, async (_j, ctl) => {
      ctl.progress(25, "loading model");
      ctl.progress(75, "sampling", { current: 15, total: 20 });
      return { image: "out.png" };
    });

    // Webhook: delivers the result, continuing the trace the job carried.
    await webhook.client.context.extract(job, () =>
      webhook.client.trace.span(
        "webhook.deliver",
        async () => {
          webhook.client.log.info("webhook delivered", { "emp.job.id": "job-100", "http.response.status_code": 200 });
        },
        { kind: "client" },
      ),
    );

    // The receivers are shared: flush every service, then read them once.
    for (const h of [webhook, machine, worker]) await h.client.flush(5000);
    const all = await api.spans();
    const byName = (n: string) => all.find((s) => s.name === n)!;
    const post = byName("POST /jobs");
    const proc = byName("job.process");
    const deliver = byName("webhook.deliver");
    // Attribution: every span names the service that made it.
    expect(post.resource["service.name"]).toBe("api-server");
    expect(proc.resource["service.name"]).toBe("comfyui-worker");
    expect(deliver.resource["service.name"]).toBe("webhook-service");
    expect(byName("machine.startup").resource).toMatchObject({ "service.name": "gpu-machine", "emp.machine.id": "machine-7", "emp.service.type": "machine" });
    // Links across services: one trace from the API's request to the webhook.
    expect(proc.parentSpanId).toBe(post.spanId);
    expect(deliver.parentSpanId).toBe(post.spanId);
    expect(new Set([post.traceId, proc.traceId, deliver.traceId]).size).toBe(1);
    // Event order and the single job id key.
    expect(proc.events.map((e) => [e.name, e.attributes["emp.job.progress"] ?? null])).toEqual([
      ["job.received", 0],
      ["job.started", 0],
      ["job.progress", 25],
      ["job.progress", 75],
      ["job.completed", 100],
    ]);
    const records = await worker.fluentRecords();
    const jobRecords = records.filter((r) => r["emp.job.id"] === "job-100");
    expect(new Set(jobRecords.map((r) => r["service.name"]))).toEqual(new Set(["api-server", "comfyui-worker", "webhook-service"]));
    for (const r of jobRecords) {
      expect(r.trace_id).toBe(post.traceId);
      for (const alias of ["job_id", "jobId", "emp.job_id", "job.id"]) expect(r).not.toHaveProperty(alias);
    }
    const startupLog = records.find((r) => r.message === "machine startup complete")!;
    expect(startupLog).toMatchObject({ "service.name": "gpu-machine", "emp.startup.ok": true, gpus: 1 });
  });

  it("keep a worker's failure retryable or not as the error says", async () => {
    const err = Object.assign(new Error("model not found"), { retryable: false });
    await expect(
      worker.client.job.process({ job_id: "job-101", jobType: "txt2img" }, async (_j, ctl) => {
        ctl.progress(10, "loading");
        throw err;
      }),
    ).rejects.toBe(err);
    const failed = (await worker.fluentRecords()).find((r) => r["emp.job.id"] === "job-101" && r["emp.job.lifecycle"] === "failed")!;
    expect(failed).toMatchObject({
      "emp.job.can_retry": false,
      "exception.message": "model not found",
      "emp.worker.id": "machine-7-worker-0",
      "emp.job.type": "txt2img",
    });
  });
});
