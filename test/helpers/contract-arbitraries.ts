// Descriptor-driven fast-check arbitraries for every message of the contract: random messages that
// are mostly invalid, and valid samples with one field mutated, so both sides of every rule are hit.
import { create, type DescField, type DescMessage, getOption, hasOption, type MessageShape, ScalarType } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import { field as fieldRulesExt } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import fc from "fast-check";
import * as contract from "../../generated/index.js";

/** Every contract file. */
export const contractFiles = contract.contractFiles;

/** Every message of the contract. */
export const contractMessages: DescMessage[] = contractFiles.flatMap((f) => [...nestedTypes(f)].filter((t): t is DescMessage => t.kind === "message"));

const hex = (n: number, upper = false): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(..."0123456789abcdef"), { minLength: n, maxLength: n }).map((a) => (upper ? a.join("").toUpperCase() : a.join("")));

const interestingStrings = fc.oneof(
  fc.constantFrom("", "a", "x y", "1.0.0", "10.2.33", "1.0", "v1.0.0", "é", "😀", "a\u0000b", '"quoted"\n', "0".repeat(32), "0".repeat(16)),
  fc.constantFrom(16, 32).chain((n) => fc.oneof(hex(n), hex(n, true), hex(n - 1), hex(n + 1))),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
  // Around the length limits the schema uses (code points, with astral characters counting once).
  fc
    .constantFrom(64, 128, 256, 4096, 8192, 32768)
    .chain((n) => fc.constantFrom(n - 1, n, n + 1).chain((len) => fc.constantFrom("x", "😀", "é").map((c) => c.repeat(len)))),
);

/** Options of the random message arbitraries. */
export interface ArbitraryOptions {
  /** Include strings around the schema's length limits (up to 32k characters); slower. Default true. */
  readonly longStrings?: boolean;
}

const shortStrings = fc.oneof(fc.constantFrom("", "a", "é", "😀", "0".repeat(32)), fc.string({ maxLength: 12 }));

function scalarArb(scalar: ScalarType, opts: ArbitraryOptions): fc.Arbitrary<unknown> {
  switch (scalar) {
    case ScalarType.STRING:
      return opts.longStrings === false ? shortStrings : interestingStrings;
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.DOUBLE:
      return fc.oneof(fc.double(), fc.constantFrom(-1, -0, 0, 1, 99.999, 100, 100.0001, Number.NaN, Infinity, -Infinity));
    case ScalarType.FLOAT:
      return fc.float();
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return fc.oneof(fc.constantFrom(0, 1, 254, 255, 256, 4294967295), fc.nat({ max: 4294967295 }));
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return fc.integer();
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return fc.oneof(fc.constantFrom(0n, 1n, 1764314558123456789n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return fc.oneof(fc.constantFrom(0n, -1n, 2n ** 53n + 1n), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 8 });
  }
}

function enumArb(field: DescField): fc.Arbitrary<number> {
  const values = field.enum?.values.map((v) => v.number) ?? [0];
  return fc.oneof(fc.constantFrom(...values), fc.constantFrom(-1, 7, 99));
}

/** Init shape of a random message (mostly invalid), `depth` bounding recursion. */
export function randomInit(message: DescMessage, opts: ArbitraryOptions = {}, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const oneof of message.oneofs) {
    const members = oneof.fields.filter((f) => f.fieldKind !== "message" || depth < 3);
    parts[oneof.localName] = fc.oneof(
      fc.constant({ case: undefined }),
      ...members.map((f) => singleArb(f, depth, opts).map((value) => ({ case: f.localName, value }))),
    );
  }
  for (const field of message.fields) {
    if (field.oneof !== undefined) continue;
    parts[field.localName] = fieldArb(field, depth, opts);
  }
  return fc.record(parts, { requiredKeys: [] });
}

function singleArb(field: DescField, depth: number, opts: ArbitraryOptions): fc.Arbitrary<unknown> {
  if (field.message !== undefined) return randomInit(field.message, opts, depth + 1);
  if (field.enum !== undefined) return enumArb(field);
  return scalarArb(field.scalar ?? ScalarType.STRING, opts);
}

function fieldArb(field: DescField, depth: number, opts: ArbitraryOptions): fc.Arbitrary<unknown> {
  switch (field.fieldKind) {
    case "list":
      if (field.listKind === "message" && depth >= 3) return fc.constant([]);
      return fc.array(singleArb(field, depth, opts), { maxLength: depth === 0 ? 10 : 3 });
    case "map":
      if (field.mapKind === "message" && depth >= 3) return fc.constant({});
      return fc.dictionary(fc.oneof(fc.constantFrom("", "k", "emp.job.id", 'q"\\'), fc.string({ maxLength: 4 })), singleArb(field, depth, opts), {
        maxKeys: 4,
      });
    case "message":
      return depth >= 3 ? fc.constant(undefined) : fc.option(singleArb(field, depth, opts), { nil: undefined });
    default:
      return singleArb(field, depth, opts);
  }
}

const patternSamples: Record<string, string> = {
  "^[0-9a-f]{32}$": "4bf92f3577b34da6a3ce929d0e0e4736",
  "^[0-9a-f]{16}$": "00f067aa0ba902b7",
  "^[0-9]+\\.[0-9]+\\.[0-9]+$": "1.0.0",
  "^[A-Za-z][A-Za-z0-9_./-]{0,254}$": "http.server.request.duration",
};

/** A valid message of the given type, built from its rules (the smallest values that satisfy them). */
export function validInit(message: DescMessage): Record<string, unknown> {
  const init: Record<string, unknown> = {};
  for (const field of message.fields) {
    if (field.oneof !== undefined) continue;
    const rules = hasOption(field, fieldRulesExt) ? getOption(field, fieldRulesExt) : undefined;
    if (field.fieldKind === "message") {
      if (rules?.required === true) init[field.localName] = validInit(field.message);
      continue;
    }
    if (field.fieldKind === "enum") {
      const t = rules?.type;
      const notIn = t?.case === "enum" ? t.value.notIn : [];
      init[field.localName] = field.enum.values.map((v) => v.number).find((n) => !notIn.includes(n)) ?? 0;
      continue;
    }
    if (field.fieldKind !== "scalar") continue;
    const t = rules?.type;
    if (t?.case === "string") {
      init[field.localName] = t.value.in[0] ?? patternSamples[t.value.pattern] ?? "x".repeat(Number(t.value.minLen));
    } else if (t?.case === "fixed64" && t.value.greaterThan.case === "gt") {
      init[field.localName] = t.value.greaterThan.value + 1n;
    }
  }
  for (const oneof of message.oneofs) {
    const first = oneof.fields.find((f) => f.fieldKind === "scalar" && f.scalar === ScalarType.STRING);
    if (first !== undefined) init[oneof.localName] = { case: first.localName, value: "v" };
  }
  return init;
}

/** A valid message with one field replaced by a random value. */
export function mutatedInit(message: DescMessage): fc.Arbitrary<Record<string, unknown>> {
  const random = randomInit(message);
  const keys = [...new Set(message.fields.map((f) => f.oneof?.localName ?? f.localName))];
  if (keys.length === 0) return fc.constant(validInit(message));
  return fc.tuple(fc.constantFrom(...keys), random).map(([key, r]) => {
    const init = validInit(message);
    if (key in r) init[key] = r[key];
    return init;
  });
}

/** Creates the message with protobuf-es's own `create`, independent of our builders. */
export function createMessage(message: DescMessage, init: Record<string, unknown>): MessageShape<DescMessage> {
  return create(message, init as never);
}
