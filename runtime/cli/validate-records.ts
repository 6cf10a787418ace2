import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { StandardLogEntrySchema, validateStandardLogEntry, type Violation } from "../../generated/index.js";
import { checkRecord } from "../collector/contract-check.js";
import { isPlainRecord, plainSource } from "../collector/contract-source.js";
import { recordKeyOfPath, reverseMap } from "../collector/reverse-mapping.js";
import { incomingOfStored, isStoredRecord } from "../collector/stored-record.js";

/**
 * How a line is read: a Fluentd record (our file sink's lines), a protobuf-JSON `StandardLogEntry`,
 * or a record as the local collector stores it (its `logs.ndjson` / `spans.ndjson`: the received
 * Fluentd record, OTLP log record or span inside `{ seq, signal, source, record, … }`).
 */
export type RecordFormat = "fluent" | "proto-json" | "collector";

/** One thing wrong with one NDJSON line. */
export interface LineViolation {
  /** 1-based line number in its file. */
  readonly line: number;
  /** How the line was read; `undefined` when it is not a JSON object. */
  readonly format: RecordFormat | undefined;
  /** Contract path in protovalidate notation (`service.name`, `data["k"]`); `""` for the whole line. */
  readonly path: string;
  /** The record key the path is written under, for Fluentd records (`service.name`, `emp.contract.version`). */
  readonly key?: string;
  /** protovalidate rule id (`string.min_len`, `required`), the reverse mapping's (`emp.mapping.type`, `emp.mapping.time`) or one of {@link ndjsonRules}. */
  readonly rule: string;
  readonly message: string;
}

/** Rule ids of lines that are not records at all. */
export const ndjsonRules = Object.freeze({
  /** Not valid JSON. */
  syntax: "emp.ndjson.syntax",
  /** Valid JSON but not an object. */
  record: "emp.ndjson.record",
  /** An object that protobuf JSON cannot read as a `StandardLogEntry` (wrong type of a field). */
  protoJson: "emp.ndjson.proto_json",
});

/**
 * Keys only protobuf JSON uses (field names in JSON and proto spelling) for fields that are not
 * written under that name in a Fluentd record; a line with one of them, and without the Fluentd
 * record's own top-level keys, is read as protobuf JSON. Derived from the descriptors.
 */
const protoOnlyKeys: ReadonlySet<string> = new Set(
  StandardLogEntrySchema.fields.filter((f) => f.fieldKind === "scalar" && f.jsonName !== f.name).flatMap((f) => [f.name, f.jsonName]),
);
const fluentMarkerKeys = ["service.name", "timestamp", "emp.contract.version"] as const;

/**
 * Which format `record` is in: a collector's stored record when it has the collector's wrapper keys
 * (`seq`, `signal`, `source`, `record`); protobuf JSON when it carries none of the Fluentd record's
 * `service.name` / `timestamp` / `emp.contract.version` keys and either a key only protobuf JSON has
 * (`timeUnixNano`, `contractVersion`, or their proto names) or `service` as an object; else a
 * Fluentd record. Pure.
 */
export function guessRecordFormat(record: Readonly<Record<string, unknown>>): RecordFormat {
  if (isStoredRecord(record)) return "collector";
  if (fluentMarkerKeys.some((k) => Object.hasOwn(record, k))) return "fluent";
  if (Object.keys(record).some((k) => protoOnlyKeys.has(k)) || isPlainRecord(record.service)) return "proto-json";
  return "fluent";
}

function fromViolations(line: number, format: RecordFormat, violations: readonly Violation[]): LineViolation[] {
  return violations.map((v) => {
    const key = format === "fluent" ? recordKeyOfPath(StandardLogEntrySchema, "fluent", v.path) : undefined;
    return { line, format, path: v.path, ...(key === undefined ? {} : { key }), rule: v.rule, message: v.message };
  });
}

/**
 * Checks one NDJSON line against the contract: parses it, reads it as `format` (`auto`: see
 * {@link guessRecordFormat}) — a Fluentd record is mapped back to `StandardLogEntry` with the
 * contract's `(emp.telemetry.v1.mapping)` options (`reverseMap` of `runtime/collector`), protobuf
 * JSON with `fromJson` (unknown fields ignored: newer minor versions are not violations) — and runs
 * the generated validator. Returns the format used and every violation (mapping problems first);
 * empty when the line is a valid record. Never throws.
 */
export function validateNdjsonLine(
  text: string,
  lineNumber: number,
  format: RecordFormat | "auto",
): { readonly format: RecordFormat | undefined; readonly violations: readonly LineViolation[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error: unknown) {
    return {
      format: undefined,
      violations: [
        {
          line: lineNumber,
          format: undefined,
          path: "",
          rule: ndjsonRules.syntax,
          message: `not JSON: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
  if (!isPlainRecord(parsed)) {
    return {
      format: undefined,
      violations: [
        {
          line: lineNumber,
          format: undefined,
          path: "",
          rule: ndjsonRules.record,
          message: `expected a JSON object, got ${Array.isArray(parsed) ? "an array" : parsed === null ? "null" : typeof parsed}`,
        },
      ],
    };
  }
  const used = format === "auto" ? guessRecordFormat(parsed) : format;
  if (used === "collector") {
    const incoming = incomingOfStored(parsed);
    if (incoming === undefined) {
      const message = "not a record the collector stores (expected seq, signal, source and record)";
      return { format: used, violations: [{ line: lineNumber, format: used, path: "", rule: ndjsonRules.record, message }] };
    }
    const checked = checkRecord(incoming);
    return {
      format: used,
      violations: checked.violations.map((v) => ({
        line: lineNumber,
        format: used,
        path: v.path,
        ...(v.key === undefined ? {} : { key: v.key }),
        rule: v.rule,
        message: v.message,
      })),
    };
  }
  if (used === "fluent") {
    const { message, problems } = reverseMap(StandardLogEntrySchema, plainSource(parsed, "fluent"));
    return { format: used, violations: fromViolations(lineNumber, used, [...problems, ...validateStandardLogEntry(message)]) };
  }
  try {
    const entry = fromJson(StandardLogEntrySchema, parsed as JsonValue, { ignoreUnknownFields: true });
    return { format: used, violations: fromViolations(lineNumber, used, validateStandardLogEntry(entry)) };
  } catch (error: unknown) {
    return {
      format: used,
      violations: [{ line: lineNumber, format: used, path: "", rule: ndjsonRules.protoJson, message: error instanceof Error ? error.message : String(error) }],
    };
  }
}
