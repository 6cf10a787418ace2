import type { StandardTraceSpan } from "../../generated/index.js";
import { packedBytesOf, type PackedSpans } from "../encoding/packed-spans.js";
import { CompactingSink } from "../reliability/sink/compacting-sink.js";
import type { Sink } from "../reliability/sink/sink.js";

/** A span as it waits in the span queue: packed (its record in {@link PackedSpans}) or its contract message. */
export type QueuedSpan = StandardTraceSpan | number;

/**
 * The span sink as the span processor sees it: each validated span is packed ({@link PackedSpans})
 * and its record queued in `inner`, with the packed estimate in place of the caller's (which must be
 * `spanMessageBytes`), whether or not the receiver is away (a compacting sink that always compacts);
 * a span that is not packed is queued as it is, with the caller's. `inner`'s encoder unpacks (`packed.unpackAll`). Everything
 * else is `inner`'s: the same accounting, flush, shutdown and health. Not for a sink with a disk
 * spool, whose codec writes messages.
 */
export class PackingSpanSink extends CompactingSink<StandardTraceSpan, number> {
  readonly #inner: Sink<QueuedSpan>;
  readonly #packed: PackedSpans;

  constructor(inner: Sink<QueuedSpan>, packed: PackedSpans) {
    super(
      inner,
      (span) => packed.pack(span),
      () => 0,
    ); // (the compaction the base applies when holding: unused, enqueue packs always)
    this.#inner = inner;
    this.#packed = packed;
  }

  override enqueue(span: StandardTraceSpan, bytes: number): void {
    let record: number;
    try {
      record = this.#packed.pack(span);
    } catch {
      record = -1;
    }
    if (record < 0) this.#inner.enqueue(span, bytes);
    else this.#inner.enqueue(record, packedBytesOf(bytes));
  }

  /** Hands `write` the queued spans as contract messages (packed ones unpacked). */
  override drainSync(write: (records: readonly StandardTraceSpan[]) => boolean): number {
    return this.#inner.drainSync((records) => write(this.#packed.unpackAll(records)));
  }
}
