/** What {@link readableViolation} reads: a validator or mapping violation, and the record key it is about when known. */
export interface ViolationText {
  /** Contract path in protovalidate notation (`service.name`, `data["k"]`); `""` for the whole record. */
  readonly path: string;
  /** protovalidate rule id (`string.min_len`) or ours (`emp.mapping.type`). */
  readonly rule: string;
  /** The validator's own text ("value must not be in list [0]"). */
  readonly message: string;
  /** The record key (Fluentd key or OTLP attribute) the path is written under. */
  readonly key?: string;
}

const hexPattern = /\^\[0-9a-f\]\{(\d+)\}\$/;

function number(message: string, index = 0): string {
  return message.match(/-?\d+(\.\d+)?/g)?.[index] ?? "?";
}

function list(message: string): string {
  return message.slice(message.indexOf("[")).replace(/^\[|\]$/g, "");
}

/** The sentence after the subject for each rule; `undefined` falls back to the validator's text. */
function predicate(v: ViolationText): string | undefined {
  const m = v.message;
  switch (v.rule) {
    case "required":
      return m.includes("oneof") ? "needs one of its values set" : "is missing";
    case "string.min_len":
      return number(m) === "1" ? "is empty" : `is shorter than ${number(m)} characters`;
    case "string.max_len":
      return `is longer than ${number(m)} characters`;
    case "string.pattern": {
      const hex = hexPattern.exec(m);
      if (hex !== null) return `must be ${hex[1] ?? "?"} lowercase hex digits`;
      if (m.includes("\\.[0-9]+\\.")) return "must be a version like 1.2.3";
      return `does not have the expected form (${m.slice(m.indexOf("`"))})`;
    }
    case "string.not_in":
      return `may not be ${list(m)}`;
    case "string.in":
      return `must be one of ${list(m)}`;
    case "enum.not_in":
      return list(m) === "0" ? "is not set (the value is the enum's unspecified 0)" : `may not be ${list(m)}`;
    case "enum.defined_only":
      return "is not one of the contract's values";
    case "fixed64.gt":
    case "uint64.gt":
    case "int64.gt":
      return number(m) === "0" ? "is missing or zero" : `must be greater than ${number(m)}`;
    case "double.finite":
      return "must be a finite number";
    case "double.gte":
      return `must be at least ${number(m)}`;
    case "double.gte_lte":
      return `must be from ${number(m)} to ${number(m, 1)}`;
    case "repeated.max_items":
      return `has more than ${number(m)} items`;
    case "map.max_pairs":
      return `has more than ${number(m)} entries`;
    case "emp.mapping.type":
    case "emp.mapping.time":
      return `has the wrong type: ${m}`;
    default:
      return undefined;
  }
}

/**
 * A violation as a sentence for people: the record key (or contract path) it is about, then what
 * is wrong, e.g. `` `level` is not set (the value is the enum's unspecified 0) `` for the validator's
 * "value must not be in list [0]", `` `trace_id` must be 32 lowercase hex digits ``. Unknown rules
 * keep the validator's text. Pure, never throws.
 */
export function readableViolation(v: ViolationText): string {
  const text = predicate(v);
  const subject = v.key ?? v.path;
  if (subject === "") return text === undefined ? v.message : `the record ${text}`;
  return `\`${subject}\` ${text ?? v.message}`;
}
