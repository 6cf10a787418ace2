/**
 * Where a batch's records come from: the sink's byte-bounded queue, or a spool segment of an earlier
 * process being replayed. Both hand out their oldest record first, with its byte estimate.
 */
export interface RecordSource<R> {
  /** Records left. */
  readonly length: number;
  /** Byte estimate of the oldest record (0 when none is left). */
  peekBytes(): number;
  /** Removes and returns the oldest record. */
  poll(): R | undefined;
}

/**
 * Takes the oldest records of `source` for one batch: at most `maxRecords`, and no more than
 * `maxBytes` of estimates, except that the first record always goes (a larger one goes alone).
 * `bytes` is the sum of their estimates.
 */
export function takeRecords<R>(source: RecordSource<R>, maxRecords: number, maxBytes: number): { readonly records: R[]; readonly bytes: number } {
  const records: R[] = [];
  let bytes = 0;
  while (source.length > 0 && records.length < maxRecords) {
    const next = source.peekBytes();
    if (records.length > 0 && bytes + next > maxBytes) break;
    bytes += next;
    records.push(source.poll() as R);
  }
  return { records, bytes };
}
