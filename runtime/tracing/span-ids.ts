import { randomFillSync } from "node:crypto";
import { claimLowerHexVouching } from "../../generated/emp/telemetry/v1/contract_support.js";

/** Tells the contract's validators that an id made here is lowercase hex (they then check it by identity): ours, claimed at load. */
const vouch = claimLowerHexVouching();

/** Random bytes drawn at once: 256 span ids (or 128 trace ids) per refill. */
const poolBytes = 2048;
const bytes = Buffer.allocUnsafe(poolBytes);
let hex = "";
let at = 0;

/**
 * `chars` random lower-case hex characters, never all zeros (an invalid id). Cut from one hex string
 * of crypto-random bytes, refilled when used up, so an id costs a substring instead of a buffer
 * write and a hex conversion; each is vouched for as lowercase hex (see `claimLowerHexVouching`).
 */
function randomHex(chars: number): string {
  for (;;) {
    if (at + chars > hex.length) {
      hex = randomFillSync(bytes).toString("hex");
      at = 0;
    }
    const id = hex.substring(at, at + chars);
    at += chars;
    if (id.charCodeAt(0) !== 48 || !/^0+$/.test(id)) {
      vouch?.(id);
      return id;
    }
  }
}

/** A new span id: 16 hex characters, not all zeros. */
export const newSpanId = (): string => randomHex(16);

/** A new trace id: 32 hex characters, not all zeros. */
export const newTraceId = (): string => randomHex(32);
