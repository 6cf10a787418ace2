import { randomFillSync } from "node:crypto";
import { claimLowerHexVouching } from "../../generated/emp/telemetry/v1/contract_support.js";

/** Tells the contract's validators that an id made here is lowercase hex (they then check it by identity): ours, claimed at load. */
const vouch = claimLowerHexVouching();

/**
 * Random bytes drawn at once: 2048 span ids (or 1024 trace ids) per refill. Each refill is a crypto
 * job, which costs an async resource (and its hooks, once AsyncLocalStorage is on) whatever its size.
 */
const poolBytes = 16 * 1024;
/** The random bytes `hex` spells: a new buffer each refill, so the bytes behind an earlier id stay as they were. */
let bytes = Buffer.allocUnsafe(0);
let hex = "";
let at = 0;

/** The last span id (16 digits) and trace id (32) made here, with where their bytes are. */
let lastSpanId = "";
let lastSpanIdBytes = bytes;
let lastSpanIdAt = 0;
let lastTraceId = "";
let lastTraceIdBytes = bytes;
let lastTraceIdAt = 0;

/**
 * `chars` random lower-case hex characters, never all zeros (an invalid id). Cut from one hex string
 * of crypto-random bytes, refilled when used up, so an id costs a substring instead of a buffer
 * write and a hex conversion; each is vouched for as lowercase hex (see `claimLowerHexVouching`).
 */
function randomHex(chars: number): string {
  for (;;) {
    if (at + chars > hex.length) {
      bytes = randomFillSync(Buffer.allocUnsafe(poolBytes));
      hex = bytes.toString("hex");
      at = 0;
    }
    const id = hex.substring(at, at + chars);
    const byteAt = at >> 1;
    at += chars;
    if (id.charCodeAt(0) !== 48 || !/^0+$/.test(id)) {
      vouch?.(id);
      if (chars === 16) {
        lastSpanId = id;
        lastSpanIdBytes = bytes;
        lastSpanIdAt = byteAt;
      } else {
        lastTraceId = id;
        lastTraceIdBytes = bytes;
        lastTraceIdAt = byteAt;
      }
      return id;
    }
  }
}

/** A new span id: 16 hex characters, not all zeros. */
export const newSpanId = (): string => randomHex(16);

/** A new trace id: 32 hex characters, not all zeros. */
export const newTraceId = (): string => randomHex(32);

/**
 * Writes the bytes `id` spells at `out[at]` when it is the last span or trace id made here (copied
 * from the random bytes it was cut from, instead of decoding its digits); false otherwise.
 */
export function copyIdBytes(id: string, out: Uint8Array, at: number): boolean {
  if (id === lastTraceId) {
    for (let i = 0; i < 16; i++) out[at + i] = lastTraceIdBytes[lastTraceIdAt + i]!;
    return true;
  }
  if (id === lastSpanId) {
    for (let i = 0; i < 8; i++) out[at + i] = lastSpanIdBytes[lastSpanIdAt + i]!;
    return true;
  }
  return false;
}
