import type { DiskSpool } from "./disk-spool.js";

/** What the sink's `queue_full` diagnostic needs of its memory queue. */
interface BoundedQueue {
  readonly maxQueueBytes: number;
  fits(bytes: number): boolean;
}

/**
 * The `queue_full` diagnostic of a sink with a spool: names the bound that refused a record of `bytes`
 * (the memory queue's `maxQueueBytes`, or the spool's `spool.maxBytes` with what it holds). Built once, on the first drop.
 */
export function spoolFullMessage<R>(queue: BoundedQueue, spool: DiskSpool<R>, bytes: number): string {
  if (!queue.fits(bytes)) return `queue is full (maxQueueBytes ${queue.maxQueueBytes}); dropping records`;
  const { maxBytes, bytes: held, segments } = spool.health();
  return `spool is full (spool.maxBytes ${maxBytes}: ${held} bytes held in ${segments} segment(s) and the write buffer); dropping records`;
}
