// The generated validators must agree with protovalidate-es, the reference implementation of the
// buf.validate rules, on every message: hand-picked edge cases, random messages (mostly invalid) and
// valid messages with one field mutated.
//
// protovalidate-es 1.3.0 skips nested messages of recursive types (Value → ListValue → Value): its
// planner prunes the not-yet-built plan of a type it is still planning (the bug protovalidate-go
// fixed in PR #142). The spec validates every nested message, so the oracle here runs protovalidate
// on every sub-message too and takes the union, paths prefixed.
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { pathToString, reflect, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import { createValidator } from "@bufbuild/protovalidate";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import * as contract from "../../generated/index.js";
import { contractMessages, createMessage, mutatedInit, randomInit, validInit } from "../helpers/contract-arbitraries.js";

const oracle = createValidator();
type Validate = (m: MessageShape<DescMessage>) => contract.Violation[];
const generated = contract as unknown as Record<string, Validate | undefined>;

function ours(desc: DescMessage, m: MessageShape<DescMessage>): string[] {
  const validate = generated[`validate${desc.name}`];
  if (validate === undefined) throw new Error(`no generated validator for ${desc.typeName}`);
  return validate(m)
    .map((v) => `${v.path} ${v.rule}${v.forKey ? " (key)" : ""}`)
    .sort();
}

function theirs(desc: DescMessage, m: MessageShape<DescMessage>): string[] {
  const found = new Set<string>();
  deepOracle(reflect(desc, m), "", found);
  return [...found].sort();
}

function deepOracle(r: ReflectMessage, prefix: string, found: Set<string>): void {
  const result = oracle.validate(r.desc, r.message);
  if (result.kind === "error") throw result.error;
  if (result.kind === "invalid") {
    for (const v of result.violations) {
      const path = pathToString(v.field);
      found.add(`${prefix === "" ? path : `${prefix}.${path}`} ${v.ruleId}${v.forKey ? " (key)" : ""}`);
    }
  }
  for (const field of r.fields) {
    if (!r.isSet(field)) continue;
    const at = prefix === "" ? field.name : `${prefix}.${field.name}`;
    if (field.fieldKind === "message") deepOracle(r.get(field), at, found);
    if (field.fieldKind === "list" && field.listKind === "message") {
      let i = 0;
      for (const item of r.get(field)) deepOracle(item as ReflectMessage, `${at}[${i++}]`, found);
    }
    if (field.fieldKind === "map" && field.mapKind === "message") {
      for (const [key, value] of r.get(field)) {
        deepOracle(value as ReflectMessage, `${at}${pathToString([{ kind: "map_sub", key: String(key) } as never])}`, found);
      }
    }
  }
}

const tally = { cases: 0, valid: 0, invalid: 0 };

function agree(desc: DescMessage, init: Record<string, unknown>): void {
  const m = createMessage(desc, init);
  const expected = theirs(desc, m);
  expect(ours(desc, m)).toEqual(expected);
  tally.cases++;
  if (expected.length === 0) tally.valid++;
  else tally.invalid++;
}

const runsPerMessage = 250;

describe("generated validators", () => {
  afterAll(() => {
    // The closing note quotes these figures.
    console.log(`validator agreement: ${tally.cases} cases (${tally.valid} valid, ${tally.invalid} invalid) over ${contractMessages.length} messages`);
  });

  it("cover every message of the contract", () => {
    for (const desc of contractMessages) expect(generated[`validate${desc.name}`], desc.typeName).toBeTypeOf("function");
  });

  it("accept the rule-derived valid sample of every message, as protovalidate does", () => {
    for (const desc of contractMessages) {
      agree(desc, validInit(desc));
      expect(theirs(desc, createMessage(desc, validInit(desc))), desc.typeName).toEqual([]);
    }
  });

  it.each(contractMessages.map((d) => [d.name, d] as const))("agree with protovalidate on random %s messages", (_name, desc) => {
    fc.assert(
      fc.property(randomInit(desc), (init) => agree(desc, init)),
      { numRuns: runsPerMessage, seed: 20261128 },
    );
  });

  it.each(contractMessages.map((d) => [d.name, d] as const))("agree with protovalidate on valid %s messages with one field mutated", (_name, desc) => {
    fc.assert(
      fc.property(mutatedInit(desc), (init) => agree(desc, init)),
      { numRuns: runsPerMessage, seed: 7 },
    );
  });

  const log = contract.StandardLogEntrySchema;
  const base = (): Record<string, unknown> => validInit(log);
  const edgeCases: [string, DescMessage, Record<string, unknown>][] = [
    ["an all-zero trace id", log, { ...base(), trace: { traceId: "0".repeat(32), spanId: "00f067aa0ba902b7" } }],
    ["an upper-case trace id", log, { ...base(), trace: { traceId: "4BF92F3577B34DA6A3CE929D0E0E4736", spanId: "00f067aa0ba902b7" } }],
    ["a trace id one digit short", log, { ...base(), trace: { traceId: "4bf92f3577b34da6a3ce929d0e0e473", spanId: "00f067aa0ba902b7" } }],
    [
      "an empty parent span id (ignored when empty)",
      log,
      { ...base(), trace: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", parentSpanId: "" } },
    ],
    [
      "an all-zero parent span id",
      log,
      { ...base(), trace: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", parentSpanId: "0".repeat(16) } },
    ],
    ["trace flags of 256", log, { ...base(), trace: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 256 } }],
    ["a message of 32768 astral characters (counted as code points)", log, { ...base(), message: "😀".repeat(32768) }],
    ["a message of 32769 characters", log, { ...base(), message: "x".repeat(32769) }],
    ["no service", log, { ...base(), service: undefined }],
    ["an undefined level", log, { ...base(), level: 42 }],
    ["level unspecified", log, { ...base(), level: 0 }],
    ["an empty data key", log, { ...base(), data: { "": { kind: { case: "stringValue", value: "x" } } } }],
    ["a data value with no kind", log, { ...base(), data: { k: {} } }],
    ["a NaN double in data", log, { ...base(), data: { k: { kind: { case: "doubleValue", value: Number.NaN } } } }],
    [
      "257 data entries",
      log,
      { ...base(), data: Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`k${i}`, { kind: { case: "boolValue", value: true } }])) },
    ],
    [
      "a list of 1025 values",
      log,
      {
        ...base(),
        data: { k: { kind: { case: "listValue", value: { values: Array.from({ length: 1025 }, () => ({ kind: { case: "intValue", value: 1n } })) } } } },
      },
    ],
    [
      "a nested map with an invalid value",
      log,
      { ...base(), data: { k: { kind: { case: "mapValue", value: { fields: { a: { kind: { case: "doubleValue", value: Infinity } } } } } } } },
    ],
    ["a contract version that is not semver", log, { ...base(), contractVersion: "1.0" }],
    [
      "an error with 9 causes and an untyped cause",
      log,
      { ...base(), error: { type: "Error", causes: [...Array.from({ length: 8 }, () => ({ type: "E" })), { type: "" }] } },
    ],
    ["a machine service without a name", log, { ...base(), service: { type: 3, environment: "production" } }],
    ["job progress of 100.5", contract.JobEventSchema, { ...validInit(contract.JobEventSchema), progress: 100.5 }],
    ["job progress of NaN", contract.JobEventSchema, { ...validInit(contract.JobEventSchema), progress: Number.NaN }],
    ["job progress of exactly 100", contract.JobEventSchema, { ...validInit(contract.JobEventSchema), progress: 100 }],
    ["a startup phase with negative infinite duration", contract.StartupPhaseSchema, { ...validInit(contract.StartupPhaseSchema), durationMs: -Infinity }],
    ["a span with start time 0", contract.StandardTraceSpanSchema, { ...validInit(contract.StandardTraceSpanSchema), startTimeUnixNano: 0n }],
    ["a span with an undefined kind", contract.StandardTraceSpanSchema, { ...validInit(contract.StandardTraceSpanSchema), kind: 9 }],
    [
      "a span event with an empty name",
      contract.StandardTraceSpanSchema,
      { ...validInit(contract.StandardTraceSpanSchema), events: [{ name: "", timeUnixNano: 1n }] },
    ],
    ["a map key with quotes and newlines", log, { ...base(), data: { 'a"\n\\': { kind: { case: "doubleValue", value: Infinity } } } }],
  ];

  it.each(edgeCases)("agree with protovalidate on %s", (_name, desc, init) => {
    agree(desc, init);
  });
});
