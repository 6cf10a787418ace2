import type { StandardLogEntry } from "../../generated/index.js";
import type { FluentCompactLog, WrittenForwardEntry } from "../encoding/fluent-compact-log.js";
import type { Redaction } from "../records/redaction.js";
import type { CompactingSink } from "../reliability/sink/compacting-sink.js";
import type { Sink } from "../reliability/sink/sink.js";
import type { SplitTime } from "../wire/time-split.js";

/**
 * A sink's direct route for log calls: the entry is written to its wire form on the call, straight
 * from the call's free-form data, and queued in that form, so that no typed values, no entry per
 * call and no second encoding exist. Taken only while this sink is the writer's only log sink, with
 * no `beforeSend` and no printer (they need the entry), and only for data the route takes as it is
 * (flat, nothing to repair); everything else takes the general path.
 */
export interface DirectLogRoute {
  /** The sink the route queues into. */
  readonly sink: Sink<StandardLogEntry>;
  /**
   * Queues `entry` (complete but for its data, which is empty, and its time, which is `time`'s whole
   * second or a time within it) with `data`'s fields and `time`. False when the data needs the general
   * path: nothing was queued. Throws only on a bug.
   */
  write(entry: StandardLogEntry, data: object | undefined, redaction: Redaction, maxBytes: number, time: SplitTime): boolean;
}

/**
 * The forward sink's direct route ({@link FluentCompactLog.direct}): entries written where they wait
 * for their batch while the sink is flowing, else (the receiver away, the queue half full: entries may
 * wait long or be refused) in their smallest form.
 */
export function forwardDirectRoute(sink: CompactingSink<StandardLogEntry, WrittenForwardEntry>, log: FluentCompactLog): DirectLogRoute {
  return {
    sink,
    write(entry, data, redaction, maxBytes, time) {
      const compact = log.direct(entry, data, redaction, maxBytes, sink.flowing, time);
      if (compact === undefined) return false;
      sink.enqueueCompact(compact);
      return true;
    },
  };
}
