import { randomFillSync } from "node:crypto";
import { claimLowerHexVouching } from "../../generated/emp/telemetry/v1/contract_support.js";

/** Tells the contract's validators that an id made here is lowercase hex (they then check it by identity): ours, claimed at load. */
const vouch = claimLowerHexVouching();

/**
 * Random bytes drawn at once: 2048 span ids (or 1024 trace ids) per refill. Each refill is a crypto
 * job, which costs an async resource (and its hooks, once AsyncLocalStorage is on) whatever its size.
 */
const poolBytes = 16 * 1024;
/** The random bytes `hex` spells, as 32-bit words: a new buffer each refill, so the bytes behind an earlier id stay as they were. */
let words = new Uint32Array(0);
let hex = "";
let at = 0;

/** The last span id (16 digits) and trace id (32) made here, with where their bytes are (in words: ids start on 8-byte bounds). */
let lastSpanId = "";
let lastSpanIdWords = words;
let lastSpanIdAt = 0;
let lastTraceId = "";
let lastTraceIdWords = words;
let lastTraceIdAt = 0;

/**
 * `chars` random lower-case hex characters, never all zeros (an invalid id). Cut from one hex string
 * of crypto-random bytes, refilled when used up, so an id costs a substring instead of a buffer
 * write and a hex conversion; each is vouched for as lowercase hex (see `claimLowerHexVouching`).
 */
function randomHex(chars: number): string {
  for (;;) {
    if (at + chars > hex.length) {
      const bytes = randomFillSync(Buffer.allocUnsafeSlow(poolBytes)); // (its own memory: offset 0, so word-aligned)
      words = new Uint32Array(bytes.buffer, bytes.byteOffset, poolBytes / 4);
      hex = bytes.toString("hex");
      at = 0;
    }
    const id = hex.substring(at, at + chars);
    const wordAt = at >> 3;
    at += chars;
    if (id.charCodeAt(0) !== 48 || !/^0+$/.test(id)) {
      vouch?.(id);
      if (chars === 16) {
        lastSpanId = id;
        lastSpanIdWords = words;
        lastSpanIdAt = wordAt;
      } else {
        lastTraceId = id;
        lastTraceIdWords = words;
        lastTraceIdAt = wordAt;
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
 * Writes the bytes `id` spells at `out[word]` (32-bit words, so 4 or 2 of them) when it is the last span
 * or trace id made here (copied from the random bytes it was cut from, instead of decoding its digits);
 * false otherwise.
 */
export function copyIdWords(id: string, out: Uint32Array, word: number): boolean {
  if (id === lastTraceId) {
    const from = lastTraceIdWords;
    const i = lastTraceIdAt;
    out[word] = from[i]!;
    out[word + 1] = from[i + 1]!;
    out[word + 2] = from[i + 2]!;
    out[word + 3] = from[i + 3]!;
    return true;
  }
  if (id === lastSpanId) {
    out[word] = lastSpanIdWords[lastSpanIdAt]!;
    out[word + 1] = lastSpanIdWords[lastSpanIdAt + 1]!;
    return true;
  }
  return false;
}
