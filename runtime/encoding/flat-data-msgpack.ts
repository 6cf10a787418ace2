import type { Redaction } from "../records/redaction.js";
import { repairLimits } from "../records/repair.js";
import { enumerableSymbolKeyCount } from "../records/symbol-keys.js";
import { MsgpackWriter } from "../wire/msgpack-writer.js";

/** What {@link FlatDataWriter.writeFields} returns when the data needs the general path (nothing to keep of what it wrote). */
export const notFlat = -1;
/** What {@link FlatDataWriter.writeFields} returns when flat data wrote more than `maxBytes` (nothing to keep of what it wrote). */
export const tooBig = -2;

/** A key's verdict: its msgpack bytes, {@link skipped} (the record's own field: counted, not written), or {@link refused}. */
type KeyVerdict = Uint8Array | typeof skipped | typeof refused;
const skipped = 1;
const refused = 0;
/** Most keys whose verdicts are remembered; past it they are forgotten at once (keys a service uses repeat). */
const maxRememberedKeys = 4096;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Writes a call's free-form data straight into a msgpack writer as map entries, when it is flat and
 * already safe: a plain object's own enumerable keys (not a Map's), 1–256 characters long, reaching no
 * prototype (`__proto__`, `constructor`, `prototype`), none redacted, at most 256 of them, each holding
 * a well-formed string within the contract's length, a finite number or a boolean (`undefined` and
 * `null` are left out, as `safeData` leaves them); no symbol keys. Keys in `skip` (the record's own
 * fields) count but are not written, as the generated writer skips them.
 *
 * These are exactly the data `safeData` takes as they are, with nothing to repair or count, and the
 * bytes are exactly those the generated writer writes for the typed values `safeData` builds (safe
 * integers in their smallest int format, other numbers as float64): a test checks both paths byte
 * for byte. Each key's verdict and bytes are worked out once and remembered.
 */
export class FlatDataWriter {
  readonly #skip: ReadonlySet<string>;
  readonly #keys = new Map<string, KeyVerdict>();
  #redaction: Redaction | undefined;

  /** @param skip - keys written by the record itself, left out of its data. */
  constructor(skip: ReadonlySet<string>) {
    this.#skip = skip;
  }

  /**
   * Writes `data`'s entries into `w`; returns how many, or {@link notFlat} as soon as anything else is
   * met (a nested object, an array, an Error, a Date, a key or value to repair or redact, a getter that
   * throws), or {@link tooBig} past `maxBytes`: the caller then drops what was written. Never throws.
   */
  writeFields(data: object, w: MsgpackWriter, redaction: Redaction, maxBytes: number): number {
    if (redaction !== this.#redaction) {
      this.#redaction = redaction;
      this.#keys.clear();
    }
    const start = w.length;
    let pairs = 0;
    let written = 0;
    try {
      if (data instanceof Map) return notFlat;
      for (const k in data) {
        if (!hasOwn.call(data, k)) continue;
        const v = (data as Record<string, unknown>)[k];
        if (v === undefined || v === null) continue;
        const key = this.#keys.get(k) ?? this.#verdict(k, redaction);
        if (key === refused || pairs === repairLimits.maxMapEntries) return notFlat;
        pairs++;
        if (key === skipped) {
          if (!isFlatValue(v)) return notFlat;
          continue;
        }
        switch (typeof v) {
          case "string":
            w.writeRaw(key);
            if (w.writeAscii(v)) break;
            if (v.length > repairLimits.maxStringLength || !v.isWellFormed()) return notFlat;
            w.writeString(v);
            break;
          case "number":
            if (!Number.isFinite(v)) return notFlat;
            w.writeRaw(key);
            w.writeNumber(v);
            break;
          case "boolean":
            w.writeRaw(key);
            w.writeBoolean(v);
            break;
          default:
            return notFlat;
        }
        written++;
      }
      if (enumerableSymbolKeyCount(data) !== 0) return notFlat;
    } catch {
      return notFlat;
    }
    return w.length - start > maxBytes ? tooBig : written;
  }

  #verdict(k: string, redaction: Redaction): KeyVerdict {
    let verdict: KeyVerdict;
    if (k.length === 0 || k.length > repairLimits.maxKeyLength || k === "__proto__" || k === "constructor" || k === "prototype" || redaction.redactsKey(k)) {
      verdict = refused;
    } else if (this.#skip.has(k)) verdict = skipped;
    else {
      const key = new MsgpackWriter(k.length + 8);
      key.writeString(k);
      verdict = key.toBytes();
    }
    if (this.#keys.size >= maxRememberedKeys) this.#keys.clear();
    this.#keys.set(k, verdict);
    return verdict;
  }
}

/** Whether `v` is a value {@link FlatDataWriter} takes as it is. */
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
