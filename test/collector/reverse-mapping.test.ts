/**
 * The collector's reverse mapping, written generically from the contract's descriptors and
 * `(emp.telemetry.v1.mapping)` options: the generated mappers' output maps back to the very message,
 * and records missing contract keys show the validator's violations under the keys users write.
 */
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { checkRecord } from "../../runtime/collector/contract-check.js";
import { otlpLogSource, otlpSpanSource, plainSource } from "../../runtime/collector/contract-source.js";
import { parseTimeNanos, recordKeyOfPath, reverseMap } from "../../runtime/collector/reverse-mapping.js";

const service = {
  name: "api-server",
  type: c.ServiceType.API,
  environment: "production",
  version: "1.4.2",
  instanceId: "i-1",
  host: "api-7f9c",
  machineId: "m-1",
};
const entry = c.buildStandardLogEntry({
  timeUnixNano: 1764314558123456789n,
  level: c.LogLevel.ERROR,
  message: "Database connection failed",
  service,
  trace: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", parentSpanId: "1111111111111111", traceFlags: 1 },
  data: c.mapValueFromPlain({ "emp.job.id": "job-42", attempt: 3, ratio: 0.5, ok: false, tags: ["a", "b"], db: { host: "pg", port: 5432 } }).fields,
  error: { type: "ConnectionError", message: "ECONNREFUSED", stack: "at connect", causes: [{ type: "Error", message: "socket closed" }] },
});
const span = c.buildStandardTraceSpan({
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  spanId: "00f067aa0ba902b7",
  parentSpanId: "1111111111111111",
  name: "job.processing",
  kind: c.SpanKind.CONSUMER,
  service,
  startTimeUnixNano: 1764314558000000001n,
  endTimeUnixNano: 1764314559000000002n,
  status: { code: c.StatusCode.ERROR, message: "timed out" },
  attributes: c.mapValueFromPlain({ "emp.job.id": "job-42", step: 2 }).fields,
  events: [{ name: "job.claimed", timeUnixNano: 1764314558500000000n, attributes: c.mapValueFromPlain({ "emp.worker.id": "w-1" }).fields }],
});

describe("reverseMap", () => {
  it("maps a Fluentd record written by the generated mapper back to the same log entry", () => {
    const { message, problems } = reverseMap(c.StandardLogEntrySchema, plainSource(c.standardLogEntryToFluentRecord(entry), "fluent"));
    expect(problems).toEqual([]);
    expect(message).toEqual(entry);
  });

  it("maps an OTLP log record written by the generated mapper back to the same log entry", () => {
    const { message, problems } = reverseMap(c.StandardLogEntrySchema, otlpLogSource(c.standardLogEntryToOtlpLogRecord(entry)));
    expect(problems).toEqual([]);
    expect(message).toEqual(entry);
  });

  it("maps an OTLP span written by the generated mapper back to the same span", () => {
    const { message, problems } = reverseMap(c.StandardTraceSpanSchema, otlpSpanSource(c.standardTraceSpanToOtlpSpan(span)));
    expect(problems).toEqual([]);
    expect(message).toEqual(span);
  });

  it("takes the record's event time when it has no timestamp key", () => {
    const { message } = reverseMap(c.StandardLogEntrySchema, plainSource({ message: "m" }, "fluent", 1_700_000_000_000_000_007n));
    expect(message.timeUnixNano).toBe(1_700_000_000_000_000_007n);
  });

  it("reports values of the wrong type for their field as emp.mapping.type", () => {
    const { problems } = reverseMap(c.StandardLogEntrySchema, plainSource({ message: 42, "service.name": ["x"], timestamp: "yesterday" }, "fluent"));
    expect(problems.map((p) => [p.path, p.rule])).toEqual([
      ["time_unix_nano", "emp.mapping.time"],
      ["message", "emp.mapping.type"],
      ["service.name", "emp.mapping.type"],
    ]);
  });
});

describe("checkRecord", () => {
  it("finds no violation in a record of the client", () => {
    const checked = checkRecord({ kind: "fluent", tag: "app", timeNanos: 1n, record: c.standardLogEntryToFluentRecord(entry) });
    expect(checked).toEqual({ signal: "logs", service: "api-server", type: "api", machine: "m-1", violations: [] });
  });

  it("names each missing or wrong contract key of a hand-made record", () => {
    const checked = checkRecord({ kind: "fluent", tag: "app", timeNanos: 1_700_000_000_000_000_000n, record: { msg: "no message key", level: "loud" } });
    expect(checked.service).toBe("unknown");
    expect(checked.violations.map((v) => [v.path, v.rule, v.key])).toEqual([
      ["level", "enum.defined_only", "level"],
      ["message", "string.min_len", "message"],
      ["service", "required", "service.name"],
      ["contract_version", "string.pattern", "emp.contract.version"],
    ]);
  });

  it("requires service.name when other service keys are present", () => {
    const record = { ...c.standardLogEntryToFluentRecord(entry) };
    delete record["service.name"];
    const checked = checkRecord({ kind: "fluent", tag: "app", timeNanos: 1n, record });
    expect(checked.violations.map((v) => [v.path, v.rule, v.key])).toEqual([["service.name", "string.min_len", "service.name"]]);
  });

  it("checks spans of a plain OTel SDK against the contract", () => {
    const otel: c.OtlpSpan = {
      ...c.standardTraceSpanToOtlpSpan(span),
      resource: { "service.name": "plain-otel" },
      attributes: { "emp.health.probe_id": "p-1" },
    };
    const checked = checkRecord({ kind: "otlpSpan", record: otel });
    expect(checked.service).toBe("plain-otel");
    expect(checked.probeId).toBe("p-1");
    expect(checked.violations.map((v) => `${v.path} ${v.rule}`)).toEqual([
      "service.type enum.not_in",
      "service.environment string.min_len",
      "contract_version string.pattern",
    ]);
  });
});

describe("recordKeyOfPath", () => {
  it("resolves contract paths to the record keys users write", () => {
    expect(recordKeyOfPath(c.StandardLogEntrySchema, "fluent", "service.name")).toBe("service.name");
    expect(recordKeyOfPath(c.StandardLogEntrySchema, "fluent", 'data["emp.job.id"]')).toBe("emp.job.id");
    expect(recordKeyOfPath(c.StandardLogEntrySchema, "fluent", "error.causes[0].type")).toBe("emp.exception.causes[0].exception.type");
    expect(recordKeyOfPath(c.StandardTraceSpanSchema, "otlp", "events[1].name")).toBe("events[1].event.name");
  });
});

describe("parseTimeNanos", () => {
  it("reads nanoseconds, ISO-8601 with nanoseconds and seconds, milliseconds or nanoseconds by magnitude", () => {
    expect(parseTimeNanos("2025-11-28T07:22:38.123456789Z")).toBe(1764314558123456789n);
    expect(parseTimeNanos("2025-11-28T08:22:38.5+01:00")).toBe(1764314558500000000n);
    expect(parseTimeNanos("1764314558123456789")).toBe(1764314558123456789n);
    expect(parseTimeNanos(1764314558.25)).toBe(1764314558250000000n);
    expect(parseTimeNanos(1764314558123)).toBe(1764314558123000000n);
    expect(parseTimeNanos("soon")).toBeUndefined();
  });
});
