import {
  create,
  getOption,
  hasOption,
  ScalarType,
  type DescEnum,
  type DescField,
  type DescMessage,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";
import {
  mapping,
  OtlpSlot,
  pathField,
  pathIndex,
  pathKey,
  valueFromPlain,
  ValueSchema,
  violation,
  type FieldMapping,
  type Violation,
} from "../../generated/index.js";
import type { ContractSource, KeyNaming } from "./contract-source.js";
import { isPlainRecord } from "./contract-source.js";

/** A record mapped back onto a contract message, with what could not be read into it. */
export interface ReverseMapped<T> {
  /** The message, each field read from its key and slot; absent keys leave fields at their defaults. */
  readonly message: T;
  /**
   * Values of the wrong type for their field (`emp.mapping.type`) or times that do not parse
   * (`emp.mapping.time`), with the contract path. Counted beside the validator's violations.
   */
  readonly problems: readonly Violation[];
}

/** Rule id of a value of the wrong type for its contract field. */
export const mappingTypeRule = "emp.mapping.type";
/** Rule id of a time that is neither nanoseconds nor an ISO-8601 string. */
export const mappingTimeRule = "emp.mapping.time";

const nanosPerSecond = 1_000_000_000n;

/** Each field's `(emp.telemetry.v1.mapping)` option, decoded once: protobuf-es decodes custom options on every `getOption`. */
const mappingCache = new WeakMap<DescField, FieldMapping | null>();

function fieldMapping(field: DescField): FieldMapping | undefined {
  let m = mappingCache.get(field);
  if (m === undefined) {
    m = hasOption(field, mapping) ? getOption(field, mapping) : null;
    mappingCache.set(field, m);
  }
  return m ?? undefined;
}

function keyOf(m: FieldMapping, naming: KeyNaming): string {
  return naming === "fluent" && m.fluentKey !== "" ? m.fluentKey : m.key;
}

function effectiveSlot(m: FieldMapping, inherited: OtlpSlot): OtlpSlot {
  return m.otlpSlot === OtlpSlot.UNSPECIFIED ? inherited : m.otlpSlot;
}

const claimedCache = new Map<string, ReadonlySet<string>>();

/**
 * Keys a record's own fields take (reached through flattened messages), so a flattened map field
 * collects only the rest. For OTLP, only keys that land in the record's attributes count.
 */
function claimedKeys(desc: DescMessage, naming: KeyNaming): ReadonlySet<string> {
  const cacheKey = `${desc.typeName}/${naming}`;
  const cached = claimedCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const out = new Set<string>();
  const walk = (d: DescMessage, inherited: OtlpSlot): void => {
    for (const field of d.fields) {
      const m = fieldMapping(field);
      if (m === undefined) continue;
      const slot = effectiveSlot(m, inherited);
      if (m.flatten && field.fieldKind === "message") walk(field.message, slot);
      else if (!m.flatten && m.key !== "" && (naming === "fluent" || slot === OtlpSlot.UNSPECIFIED)) out.add(keyOf(m, naming));
    }
  };
  walk(desc, OtlpSlot.UNSPECIFIED);
  claimedCache.set(cacheKey, out);
  return out;
}

const enumNameCache = new Map<string, ReadonlyMap<string, number>>();

/** Names an enum value is read from: its short name as targets write it (`info`), its full name, any case. */
function enumNames(e: DescEnum): ReadonlyMap<string, number> {
  const cached = enumNameCache.get(e.typeName);
  if (cached !== undefined) return cached;
  const out = new Map<string, number>();
  for (const v of e.values) {
    out.set(v.name.toLowerCase(), v.number);
    out.set(v.localName.toLowerCase(), v.number);
  }
  enumNameCache.set(e.typeName, out);
  return out;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v instanceof Uint8Array) return "bytes";
  return v === null ? "null" : typeof v === "object" ? "a map" : `${typeof v} ${JSON.stringify(typeof v === "bigint" ? String(v) : v)?.slice(0, 40) ?? ""}`;
}

/**
 * Nanoseconds since the Unix epoch of a time as records carry it: a bigint; an integer string of
 * nanoseconds; an ISO-8601 string (nanosecond fraction kept); or a number, read by magnitude as
 * seconds (below 10^11, fractions kept), milliseconds (below 10^14), microseconds (below 10^17) or
 * nanoseconds. `undefined` when it is none of these.
 */
export function parseTimeNanos(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") {
    if (!Number.isFinite(v) || v < 0) return undefined;
    const scale = v < 1e11 ? 1e9 : v < 1e14 ? 1e6 : v < 1e17 ? 1e3 : 1;
    const whole = Math.trunc(v);
    return BigInt(whole) * BigInt(scale) + BigInt(Math.round((v - whole) * scale));
  }
  if (typeof v !== "string") return undefined;
  if (/^\d{1,20}$/.test(v)) return BigInt(v);
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:[.,](\d{1,9})\d*)?(Z|[+-]\d{2}:?\d{2})$/i.exec(v);
  if (m === null) return undefined;
  const seconds = Date.parse(`${m[1] ?? ""}${(m[3] ?? "Z").toUpperCase()}`);
  if (Number.isNaN(seconds)) return undefined;
  return BigInt(seconds / 1000) * nanosPerSecond + BigInt((m[2] ?? "").padEnd(9, "0"));
}

const int64Types: ReadonlySet<ScalarType> = new Set([ScalarType.INT64, ScalarType.UINT64, ScalarType.SINT64, ScalarType.FIXED64, ScalarType.SFIXED64]);
const int32Types: ReadonlySet<ScalarType> = new Set([ScalarType.INT32, ScalarType.UINT32, ScalarType.SINT32, ScalarType.FIXED32, ScalarType.SFIXED32]);

class Reader {
  readonly problems: Violation[] = [];

  /** Reads one record (the source's own keys) into an init object of `desc`. */
  record(desc: DescMessage, src: ContractSource, path: string): Record<string, unknown> {
    return this.#message(desc, src, OtlpSlot.UNSPECIFIED, path, claimedKeys(desc, src.naming)) ?? {};
  }

  #message(desc: DescMessage, src: ContractSource, inherited: OtlpSlot, path: string, claimed: ReadonlySet<string>): Record<string, unknown> | undefined {
    const init: Record<string, unknown> = {};
    let found = false;
    for (const field of desc.fields) {
      const m = fieldMapping(field);
      if (m === undefined) continue;
      const slot = effectiveSlot(m, inherited);
      const fieldPath = pathField(path, field.name);
      const v = this.#field(field, m, src, slot, fieldPath, claimed);
      if (v !== undefined) {
        init[field.localName] = v;
        found = true;
      }
    }
    return found ? init : undefined;
  }

  #field(field: DescField, m: FieldMapping, src: ContractSource, slot: OtlpSlot, path: string, claimed: ReadonlySet<string>): unknown {
    const key = keyOf(m, src.naming);
    switch (field.fieldKind) {
      case "message": {
        if (m.flatten) return this.#message(field.message, src, slot, path, claimed);
        const v = src.value(key, slot);
        if (v === undefined) return undefined;
        const nested = src.nested(v, slot);
        if (nested === undefined) return this.#wrongType(path, "a map", v);
        return this.record(field.message, nested, path);
      }
      case "list": {
        const v = src.value(key, slot);
        if (v === undefined) return undefined;
        if (!Array.isArray(v)) return this.#wrongType(path, "a list", v);
        if (field.listKind === "message") {
          return v.map((item, i) => {
            const nested = src.nested(item, slot);
            if (nested === undefined) return this.#wrongType(pathIndex(path, i), "a map", item) ?? {};
            return this.record(field.message, nested, pathIndex(path, i));
          });
        }
        if (field.listKind === "enum") return v.map((item, i) => this.#enum(field.enum, item, pathIndex(path, i)));
        return v.map((item, i) => this.#scalar(field.scalar, field.name, item, pathIndex(path, i)));
      }
      case "map": {
        const entries = m.flatten ? src.rest(slot, claimed) : src.value(key, slot);
        if (entries === undefined) return undefined;
        if (!isPlainRecord(entries)) return this.#wrongType(path, "a map", entries);
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(entries)) {
          const item = entries[k];
          let converted: unknown;
          if (field.mapKind === "message" && field.message.typeName === ValueSchema.typeName) converted = valueFromPlain(item);
          else if (field.mapKind === "scalar") converted = this.#scalar(field.scalar, field.name, item, pathKey(path, k));
          else if (field.mapKind === "enum") converted = this.#enum(field.enum, item, pathKey(path, k));
          else converted = isPlainRecord(item) ? this.record(field.message, src.nested(item, slot) ?? src, pathKey(path, k)) : undefined;
          if (converted !== undefined) Object.defineProperty(out, k, { value: converted, enumerable: true, writable: true, configurable: true });
        }
        return Object.keys(out).length === 0 && m.flatten ? undefined : out;
      }
      case "enum": {
        const v = src.value(key, slot);
        return v === undefined ? undefined : this.#enum(field.enum, v, path);
      }
      case "scalar": {
        const v = src.value(key, slot);
        return v === undefined ? undefined : this.#scalar(field.scalar, field.name, v, path);
      }
    }
  }

  /** An enum from its name or number; an unknown name becomes -1, which `enum.defined_only` reports. */
  #enum(e: DescEnum, v: unknown, path: string): number | undefined {
    if (typeof v === "number" && Number.isInteger(v)) return v;
    if (typeof v === "string") return enumNames(e).get(v.toLowerCase()) ?? (/^-?\d+$/.test(v) ? Number(v) : -1);
    return this.#wrongType(path, `a ${e.name} name`, v);
  }

  #scalar(type: ScalarType, fieldName: string, v: unknown, path: string): unknown {
    if (type === ScalarType.STRING) return typeof v === "string" ? v : this.#wrongType(path, "a string", v);
    if (type === ScalarType.BOOL) return typeof v === "boolean" ? v : this.#wrongType(path, "a boolean", v);
    if (type === ScalarType.DOUBLE || type === ScalarType.FLOAT) return typeof v === "number" ? v : this.#wrongType(path, "a number", v);
    if (int32Types.has(type)) return typeof v === "number" && Number.isInteger(v) ? v : this.#wrongType(path, "an integer", v);
    if (int64Types.has(type)) {
      if (fieldName.endsWith("_unix_nano")) {
        const nanos = parseTimeNanos(v);
        if (nanos === undefined) this.problems.push(violation(path, mappingTimeRule, `expected nanoseconds or an ISO-8601 time, got ${describe(v)}`));
        return nanos;
      }
      if (typeof v === "bigint") return v;
      if ((typeof v === "number" && Number.isSafeInteger(v)) || (typeof v === "string" && /^-?\d{1,20}$/.test(v))) return BigInt(v);
      return this.#wrongType(path, "an integer", v);
    }
    return v instanceof Uint8Array ? v : this.#wrongType(path, "bytes", v);
  }

  #wrongType(path: string, expected: string, got: unknown): undefined {
    this.problems.push(violation(path, mappingTypeRule, `expected ${expected}, got ${describe(got)}`));
    return undefined;
  }
}

/**
 * Maps a received record back onto a contract message, generically from the message's descriptors
 * and their `(emp.telemetry.v1.mapping)` options — the inverse of the generated mappers: each field
 * reads its key (`fluent_key` for Fluentd records) in its OTLP slot (children of a flattened field
 * inherit its slot), flattened messages are read from the same record and set when any of their
 * keys is present, flattened `map<string, Value>` fields take the keys no field claims, enums are
 * read from their short names (`info`), times from nanoseconds or ISO-8601.
 *
 * Never throws. Nothing is defaulted: a record without `service.name` gives a message without it,
 * and the generated validator then names the violation. The contract version is not filled.
 */
export function reverseMap<Desc extends DescMessage>(schema: Desc, source: ContractSource): ReverseMapped<MessageShape<Desc>> {
  const reader = new Reader();
  const init = reader.record(schema, source, "");
  return { message: create(schema, init as MessageInitShape<Desc>), problems: reader.problems };
}

/**
 * The record key a contract path points at, for showing violations under the keys users write:
 * `service.name` → `service.name`, `data["job"]` → `job`, `error.causes[0].type` →
 * `emp.exception.causes[0].exception.type`; a flattened message (e.g. a missing `service`) → the
 * key of its first field. `undefined` when the path does not resolve.
 */
export function recordKeyOfPath(schema: DescMessage, naming: KeyNaming, path: string): string | undefined {
  const tokens = path.match(/[A-Za-z0-9_]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\]/g) ?? [];
  let desc: DescMessage | undefined = schema;
  let field: DescField | undefined;
  let prefix = "";
  let key: string | undefined;
  for (const token of tokens) {
    if (token.startsWith('["')) return JSON.parse(token.slice(1, -1)) as string;
    if (token.startsWith("[")) {
      prefix = `${key ?? ""}${token}.`;
      continue;
    }
    field = desc?.fields.find((f) => f.name === token);
    if (field === undefined) return undefined;
    const m = fieldMapping(field);
    if (m !== undefined && !m.flatten) key = prefix + keyOf(m, naming);
    desc = field.fieldKind === "message" ? field.message : field.fieldKind === "list" && field.listKind === "message" ? field.message : undefined;
  }
  if (field?.fieldKind === "message" && fieldMapping(field)?.flatten === true) {
    const first = field.message.fields.map(fieldMapping).find((m) => m !== undefined && m.key !== "");
    return first === undefined ? undefined : prefix + keyOf(first, naming);
  }
  return key;
}
