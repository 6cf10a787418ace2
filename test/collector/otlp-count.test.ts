/**
 * The wire walk that counts an OTLP request's records and nested items before decoding: exact counts
 * on requests encoded by protobuf-es, malformed bytes named, and its cost next to decoding.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ExportLogsServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { ExportTraceServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { countJsonItems } from "../../runtime/collector/json-item-count.js";
import { countOtlpItems, otlpRequestShapes } from "../../runtime/collector/otlp-count.js";
import { varint } from "../helpers/otlp-bombs.js";

const unlimited = { records: 1e9, items: 1e9 };
const text = (value: string) => ({ value: { case: "stringValue", value } });

/** `records` log records, each with a body and `attributes` string attributes (one of them a 3-value array). */
function logsRequest(records: number, attributes: number): Uint8Array {
  const attribute = (i: number) =>
    i === 0
      ? { key: "list", value: { value: { case: "arrayValue", value: { values: [text("a"), text("b"), text("c")] } } } }
      : { key: `k${i}`, value: text(`v${i}`) };
  const logRecords = Array.from({ length: records }, (_, r) => ({
    timeUnixNano: BigInt(r + 1),
    severityNumber: 9,
    body: text(`message ${r}`),
    attributes: Array.from({ length: attributes }, (_, i) => attribute(i)),
  }));
  const request = {
    resourceLogs: [{ resource: { attributes: [{ key: "service.name", value: text("svc") }] }, scopeLogs: [{ scope: { name: "s" }, logRecords }] }],
  };
  return toBinary(ExportLogsServiceRequestSchema, create(ExportLogsServiceRequestSchema, request as never));
}

describe("countOtlpItems", () => {
  it("counts records, groups and every field at every depth of a protobuf-es request", () => {
    // Request: 1 resourceLogs; resource 1 + attribute (1 + key + value + string) = 5; scopeLogs 1 + scope 1 + name 1;
    // per record: 1 + time + severity + body (1 + string) + attributes; an attribute 4, the list one 1 + key + value + array + 3 × 2.
    const counted = countOtlpItems(logsRequest(2, 3), unlimited, otlpRequestShapes.logs);
    const perRecord = 1 + 1 + 1 + 2 + (4 + 4 + 10);
    expect(counted).toEqual({ records: 2, groups: 2, items: 1 + 5 + 3 + 2 * perRecord });
  });

  it("counts spans' events and links, and stops past a limit", () => {
    const span = { traceId: new Uint8Array(16), spanId: new Uint8Array(8), name: "s", events: [{ name: "e", attributes: [{ key: "k", value: text("v") }] }] };
    const request = create(ExportTraceServiceRequestSchema, { resourceSpans: [{ scopeSpans: [{ spans: [span, span] }] }] } as never);
    const bytes = toBinary(ExportTraceServiceRequestSchema, request);
    expect(countOtlpItems(bytes, unlimited, otlpRequestShapes.traces)).toEqual({ records: 2, groups: 2, items: 2 + 2 * (1 + 3 + 1 + 1 + 4) });
    expect(countOtlpItems(bytes, { records: 1e9, items: 5 }, otlpRequestShapes.traces)).toMatchObject({ items: 6 });
    expect(countOtlpItems(bytes, { records: 1, items: 1e9 }, otlpRequestShapes.traces)).toMatchObject({ groups: 2 });
  });

  it("names malformed bytes, skips groups in unknown fields, and refuses nesting deeper than 100", () => {
    expect(countOtlpItems(Uint8Array.from([0x0a, 0x05, 0x12]), unlimited, otlpRequestShapes.logs)).toEqual({ malformed: "truncated field" });
    expect(countOtlpItems(Uint8Array.from([0x00]), unlimited, otlpRequestShapes.logs)).toEqual({ malformed: "field number 0" });
    // Unknown field 9 as a group holding field 1 varint, then its end tag.
    expect(countOtlpItems(Uint8Array.from([0x4b, 0x08, 0x01, 0x4c]), unlimited, otlpRequestShapes.logs)).toEqual({ records: 0, groups: 0, items: 2 });
    const field = (tag: number, bytes: Buffer): Buffer => Buffer.concat([Buffer.from([tag, ...varint(bytes.length)]), bytes]);
    // A log record's body (5): an AnyValue whose array (5) holds an AnyValue (1) whose array holds …, 120 deep.
    let value: Buffer = Buffer.alloc(0);
    for (let i = 0; i < 120; i++) value = field(0x2a, field(0x0a, value));
    const request = field(0x0a, field(0x12, field(0x12, field(0x2a, value))));
    expect(countOtlpItems(request, unlimited, otlpRequestShapes.logs)).toEqual({ malformed: "nested deeper than 100" });
  });

  it("costs a fraction of decoding on a normal request (1000 records × 20 attributes)", () => {
    const bytes = logsRequest(1000, 20);
    const best = (work: () => void): number => {
      let ms = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 7; round++) {
        const t0 = performance.now();
        work();
        ms = Math.min(ms, performance.now() - t0);
      }
      return ms;
    };
    const count = best(() => countOtlpItems(bytes, unlimited, otlpRequestShapes.logs));
    const decode = best(() => fromBinary(ExportLogsServiceRequestSchema, bytes, { readUnknownFields: false }));
    console.log(
      `${bytes.length} B request: wire count ${count.toFixed(2)} ms, protobuf-es decode ${decode.toFixed(2)} ms (${((100 * count) / decode).toFixed(0)} %)`,
    );
    expect(count).toBeLessThan(decode / 2);
  });
});

describe("countJsonItems", () => {
  it("counts objects, arrays and separators outside strings, and stops past the limit", () => {
    expect(countJsonItems(Buffer.from('{"a":[1,2,{"b":"x,{[\\"]"}]}'), 100)).toBe(5);
    expect(countJsonItems(Buffer.from(`[${"{},".repeat(1000)}{}]`), 10)).toBe(11);
  });
});
