/**
 * A BridgeTarget that records every call, for the bridge tests.
 */
import { EventEmitter, once } from "node:events";
import type { BridgeLevel, BridgeTarget } from "../../runtime/bridges/bridge-target.js";

/** One call of {@link BridgeTarget.write}. */
export interface BridgedRecord {
  level: BridgeLevel;
  message: string;
  data: Record<string, unknown> | undefined;
  error: unknown;
}

/** Records every write; `waitFor(n)` resolves once n records arrived (no sleeps). */
export class RecordingTarget implements BridgeTarget {
  readonly records: BridgedRecord[] = [];
  readonly #events = new EventEmitter();

  write(level: BridgeLevel, message: string, data?: Record<string, unknown>, error?: unknown): void {
    this.records.push({ level, message, data, error });
    this.#events.emit("record");
  }

  /** Resolves with the records once there are at least `count`. */
  async waitFor(count: number): Promise<BridgedRecord[]> {
    while (this.records.length < count) await once(this.#events, "record");
    return this.records;
  }

  /** The only record, once it arrived. */
  async only(): Promise<BridgedRecord> {
    const [record] = await this.waitFor(1);
    if (record === undefined || this.records.length !== 1) throw new Error(`expected 1 record, got ${String(this.records.length)}`);
    return record;
  }
}

/** A target whose write always throws, as a broken client would. */
export const throwingTarget: BridgeTarget = {
  write(): void {
    throw new Error("target is down");
  },
};
