import type { BatchRefusal, CollectorSource } from "./collector-records.js";

/** Limits of {@link RecordAdmission}. */
export interface AdmissionLimits {
  readonly maxRecordsPerRequest: number;
  readonly maxRecordsPerSecond: number;
  readonly maxItemsPerRequest: number;
}

/** A token bucket: `rate` tokens per second, holding at most `rate` (one second of burst). */
class TokenBucket {
  #tokens: number;
  #atMs: number;
  readonly #rate: number;

  constructor(rate: number, nowMs: number) {
    this.#rate = rate;
    this.#tokens = rate;
    this.#atMs = nowMs;
  }

  take(n: number, nowMs: number): boolean {
    this.#tokens = Math.min(this.#rate, this.#tokens + ((nowMs - this.#atMs) / 1000) * this.#rate);
    this.#atMs = nowMs;
    if (n > this.#tokens) return false;
    this.#tokens -= n;
    return true;
  }
}

/**
 * Decides, before the live contract check runs, whether an input may hand over a batch: at most
 * `maxRecordsPerRequest` records and `maxItemsPerRequest` nested items (attributes, values, …) per
 * request or forward message, and at most `maxRecordsPerSecond`
 * per input (a token bucket with one second of burst), so tiny compressed bodies carrying many
 * records cannot stall the event loop. O(1) per batch.
 */
export class RecordAdmission {
  readonly #limits: AdmissionLimits;
  readonly #buckets = new Map<CollectorSource, TokenBucket>();

  constructor(limits: AdmissionLimits) {
    this.#limits = limits;
  }

  /**
   * `undefined` when `count` records holding `items` nested items from `source` may be taken now
   * (their tokens are spent), else the refusal.
   */
  admit(source: CollectorSource, count: number, items = 0, nowMs = Date.now()): BatchRefusal | undefined {
    const { maxRecordsPerRequest, maxRecordsPerSecond, maxItemsPerRequest } = this.#limits;
    if (count > maxRecordsPerRequest) {
      return { kind: "tooManyRecords", status: 413, reason: `${count} records in one request exceed maxRecordsPerRequest (${maxRecordsPerRequest})` };
    }
    if (items > maxItemsPerRequest) {
      return { kind: "tooManyItems", status: 413, reason: `${items} items in one request exceed maxItemsPerRequest (${maxItemsPerRequest})` };
    }
    let bucket = this.#buckets.get(source);
    if (bucket === undefined) this.#buckets.set(source, (bucket = new TokenBucket(maxRecordsPerSecond, nowMs)));
    if (bucket.take(count, nowMs)) return undefined;
    return { kind: "rateLimited", status: 429, reason: `over maxRecordsPerSecond (${maxRecordsPerSecond}) for this input: retry later` };
  }
}
