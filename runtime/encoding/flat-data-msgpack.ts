import type { Redaction } from "../records/redaction.js";
import { repairLimits } from "../records/repair.js";
import { enumerableSymbolKeyCount } from "../records/symbol-keys.js";
import type { MsgpackWriter } from "../wire/msgpack-writer.js";

/** What {@link writeFlatDataMsgpack} returns when the data needs the general path (nothing to keep of what it wrote). */
export const notFlat = -1;
/** What {@link writeFlatDataMsgpack} returns when flat data wrote more than `maxBytes` (nothing to keep of what it wrote). */
export const tooBig = -2;

/**
 * Writes a call's free-form data straight into `w` as msgpack map entries, when it is flat and
 * already safe: a plain object's own enumerable keys (not a Map's), 1–256 characters long, reaching no prototype
 * (`__proto__`, `constructor`, `prototype`), none redacted, at most 256 of them, each holding a
 * well-formed string within the contract's length, a finite number or a boolean (`undefined` and
 * `null` are left out, as `safeData` leaves them); no symbol keys; at most `maxBytes` written. Keys
 * in `skip` (the record's own fields) count but are not written, as the generated writer skips them.
 *
 * These are exactly the data `safeData` takes as they are, with nothing to repair or count, and the
 * bytes are exactly those the generated writer writes for the typed values `safeData` builds (safe
 * integers in their smallest int format, other numbers as float64): a test checks both paths byte
 * for byte. Returns how many entries it wrote, or {@link notFlat} as soon as anything else is met (a
 * nested object, an array, an Error, a Date, a key or value to repair or redact, a getter that
 * throws): the caller then drops what was written and takes the general path; {@link tooBig} past
 * `maxBytes`. Never throws.
 */
export function writeFlatDataMsgpack(data: object, w: MsgpackWriter, redaction: Redaction, skip: ReadonlySet<string>, maxBytes: number): number {
  const start = w.length;
  let pairs = 0;
  let written = 0;
  try {
    if (data instanceof Map) return notFlat;
    for (const k in data) {
      if (!Object.hasOwn(data, k)) continue;
      const v = (data as Record<string, unknown>)[k];
      if (v === undefined || v === null) continue;
      if (k.length === 0 || k.length > repairLimits.maxKeyLength || k === "__proto__" || k === "constructor" || k === "prototype") return notFlat;
      if (pairs === repairLimits.maxMapEntries || redaction.redactsKey(k)) return notFlat;
      pairs++;
      if (skip.has(k)) {
        if (!isFlatValue(v)) return notFlat;
        continue;
      }
      switch (typeof v) {
        case "string":
          if (v.length > repairLimits.maxStringLength || !v.isWellFormed()) return notFlat;
          w.writeString(k);
          w.writeString(v);
          break;
        case "number":
          if (!Number.isFinite(v)) return notFlat;
          w.writeString(k);
          w.writeNumber(v);
          break;
        case "boolean":
          w.writeString(k);
          w.writeBoolean(v);
          break;
        default:
          return notFlat;
      }
      written++;
    }
    if (enumerableSymbolKeyCount(data) !== 0) return notFlat;
    if (w.length - start > maxBytes) return tooBig;
  } catch {
    return notFlat;
  }
  return written;
}

/** Whether `v` is a value {@link writeFlatDataMsgpack} takes as it is. */
function isFlatValue(v: unknown): boolean {
  switch (typeof v) {
    case "string":
      return v.length <= repairLimits.maxStringLength && v.isWellFormed();
    case "number":
      return Number.isFinite(v);
    case "boolean":
      return true;
    default:
      return false;
  }
}
