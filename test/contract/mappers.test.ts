// Golden tests of the generated target mappers: one fully populated record per target.
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";

const service = {
  name: "api-server",
  type: c.ServiceType.API,
  environment: "production",
  version: "1.4.2",
  instanceId: "i-1",
  host: "api-7f9c",
};
const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const time = 1764314558123456789n;

const entry = c.buildStandardLogEntry({
  timeUnixNano: time,
  level: c.LogLevel.ERROR,
  message: "Database connection failed",
  service,
  trace: { traceId, spanId: "00f067aa0ba902b7", traceFlags: 1 },
  data: c.mapValueFromPlain({ "emp.job.id": "job-42", attempt: 3, ratio: 0.5, ok: false, tags: ["a", "b"], db: { host: "pg", port: 5432 } }).fields,
  error: {
    type: "ConnectionError",
    message: "ECONNREFUSED",
    stack: "ConnectionError: ECONNREFUSED\n    at connect",
    causes: [{ type: "Error", message: "socket closed" }],
  },
});

describe("standardLogEntryToFluentRecord", () => {
  it("writes the contract's Fluentd keys, flattened, with a nanosecond ISO timestamp", () => {
    expect(c.standardLogEntryToFluentRecord(entry)).toEqual({
      "emp.job.id": "job-42",
      attempt: 3,
      ratio: 0.5,
      ok: false,
      tags: ["a", "b"],
      db: { host: "pg", port: 5432 },
      timestamp: "2025-11-28T07:22:38.123456789Z",
      level: "error",
      message: "Database connection failed",
      "service.name": "api-server",
      "emp.service.type": "api",
      "deployment.environment.name": "production",
      "service.version": "1.4.2",
      "service.instance.id": "i-1",
      "host.name": "api-7f9c",
      trace_id: traceId,
      span_id: "00f067aa0ba902b7",
      trace_flags: 1,
      "exception.type": "ConnectionError",
      "exception.message": "ECONNREFUSED",
      "exception.stacktrace": "ConnectionError: ECONNREFUSED\n    at connect",
      "emp.exception.causes": [{ "exception.type": "Error", "exception.message": "socket closed" }],
      "emp.contract.version": c.CONTRACT_VERSION,
    });
  });

  it("lets contract keys win over data keys of the same name", () => {
    const clash = c.buildStandardLogEntry({ ...entry, data: c.mapValueFromPlain({ level: "spoofed", message: "spoofed" }).fields });
    const r = c.standardLogEntryToFluentRecord(clash);
    expect(r.level).toBe("error");
    expect(r.message).toBe("Database connection failed");
  });
});

describe("standardLogEntryToOtlpLogRecord", () => {
  it("puts each field in its OTLP slot: time, severity, body, trace, resource and attributes", () => {
    expect(c.standardLogEntryToOtlpLogRecord(entry)).toEqual({
      resource: {
        "service.name": "api-server",
        "emp.service.type": "api",
        "deployment.environment.name": "production",
        "service.version": "1.4.2",
        "service.instance.id": "i-1",
        "host.name": "api-7f9c",
      },
      timeUnixNano: time,
      severityNumber: 17,
      severityText: "ERROR",
      body: "Database connection failed",
      traceId,
      spanId: "00f067aa0ba902b7",
      traceFlags: 1,
      attributes: {
        "emp.job.id": "job-42",
        attempt: 3,
        ratio: 0.5,
        ok: false,
        tags: ["a", "b"],
        db: { host: "pg", port: 5432 },
        "exception.type": "ConnectionError",
        "exception.message": "ECONNREFUSED",
        "exception.stacktrace": "ConnectionError: ECONNREFUSED\n    at connect",
        "emp.exception.causes": [{ "exception.type": "Error", "exception.message": "socket closed" }],
        "emp.contract.version": c.CONTRACT_VERSION,
      },
    });
  });
});

describe("standardTraceSpanToOtlpSpan", () => {
  it("maps ids, kind, times, status, attributes and events", () => {
    const span = c.buildStandardTraceSpan({
      traceId,
      spanId: "00f067aa0ba902b7",
      parentSpanId: "b7ad6b7169203331",
      name: "job.processing",
      kind: c.SpanKind.CONSUMER,
      service: { ...service, type: c.ServiceType.WORKER, machineId: "m-1", workerId: "w-1" },
      startTimeUnixNano: time,
      endTimeUnixNano: time + 1_500_000_000n,
      status: { code: c.StatusCode.ERROR, message: "sampler crashed" },
      attributes: c.mapValueFromPlain({ "emp.job.id": "job-42", big: 2n ** 60n }).fields,
      events: [{ name: "job.progress", timeUnixNano: time + 1n, attributes: c.mapValueFromPlain({ "emp.job.progress": 40 }).fields }],
      scopeName: "@opentelemetry/instrumentation-http",
      scopeVersion: "0.223.0",
    });
    expect(c.standardTraceSpanToOtlpSpan(span)).toEqual({
      resource: {
        "service.name": "api-server",
        "emp.service.type": "worker",
        "deployment.environment.name": "production",
        "service.version": "1.4.2",
        "emp.machine.id": "m-1",
        "emp.worker.id": "w-1",
        "service.instance.id": "i-1",
        "host.name": "api-7f9c",
      },
      traceId,
      spanId: "00f067aa0ba902b7",
      parentSpanId: "b7ad6b7169203331",
      traceFlags: 0,
      name: "job.processing",
      kind: 5,
      startTimeUnixNano: time,
      endTimeUnixNano: time + 1_500_000_000n,
      status: { code: 2, message: "sampler crashed" },
      attributes: { "emp.job.id": "job-42", big: "1152921504606846976", "emp.contract.version": c.CONTRACT_VERSION },
      events: [{ name: "job.progress", timeUnixNano: time + 1n, attributes: { "emp.job.progress": 40 } }],
      scope: { name: "@opentelemetry/instrumentation-http", version: "0.223.0" },
    });
  });
});

describe("jobEventToAttributes", () => {
  it("uses the single job id key and lower-case lifecycle names", () => {
    const ev = c.buildJobEvent({
      lifecycle: c.JobLifecycle.FAILED,
      jobId: "job-42",
      jobType: "comfyui.txt2img",
      workerId: "w-1",
      progress: 40,
      canRetry: true,
      error: { type: "OOM", message: "CUDA out of memory" },
    });
    expect(c.jobEventToAttributes(ev)).toEqual({
      "emp.job.lifecycle": "failed",
      "emp.job.id": "job-42",
      "emp.job.type": "comfyui.txt2img",
      "emp.worker.id": "w-1",
      "emp.job.progress": 40,
      "emp.job.step.current": 0,
      "emp.job.step.total": 0,
      "exception.type": "OOM",
      "exception.message": "CUDA out of memory",
      "emp.job.can_retry": true,
    });
  });
});

describe("mapValueFromPlain", () => {
  it("turns JavaScript values into typed values and back", () => {
    const plain = { s: "x", i: 7, d: 1.5, b: true, big: 12n, list: [1, "two", [3]], map: { a: { b: null } }, when: new Date(0) };
    expect(c.mapValueToPlain(c.mapValueFromPlain(plain))).toEqual({
      s: "x",
      i: 7,
      d: 1.5,
      b: true,
      big: 12,
      list: [1, "two", [3]],
      map: { a: {} },
      when: "1970-01-01T00:00:00.000Z",
    });
  });

  it("drops undefined, functions and symbols, and stops at the depth limit", () => {
    const deep: Record<string, unknown> = {};
    let at = deep;
    for (let i = 0; i < 40; i++) at = (at.next = {}) as Record<string, unknown>;
    const m = c.mapValueToPlain(c.mapValueFromPlain({ u: undefined, f: () => 1, s: Symbol("x"), deep })) as Record<string, unknown>;
    expect(Object.keys(m)).toEqual(["deep"]);
    expect(JSON.stringify(m)).toContain("[max depth]");
  });
});
