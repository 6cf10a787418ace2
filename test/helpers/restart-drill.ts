/**
 * Drives a forward sink through receiver kills: `total` sequence-numbered records are produced in
 * `kills + 1` phases (chunks of 500 per event-loop turn); in every phase but the last, once the
 * receiver has acked a quarter of the phase, the receiver is killed while production goes on, and
 * started again once the sink has noticed (its last error is newer than the kill).
 */
import { setImmediate as yieldToLoop } from "node:timers/promises";
import type { Sink } from "../../runtime/reliability/sink/sink.js";
import type { SinkHealth } from "../../runtime/reliability/sink/reports.js";
import type { SeqRecord } from "./seq-records.js";

export interface RestartDrill {
  readonly sink: Sink<SeqRecord>;
  readonly total: number;
  readonly kills: number;
  /** Kills the receiver (phase 0..kills-1); may resolve later (e.g. a crash armed on a coming frame). */
  kill(phase: number): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/** `emitted … = delivered … + …`, for assertion messages. */
export function identityText(h: SinkHealth): string {
  return (
    `emitted ${h.emitted} = delivered ${h.delivered} + dropped ${h.droppedTotal} + queued ${h.queued} + inFlight ${h.inFlight} ` +
    `(resent ${h.resent}, last error ${h.lastError?.message ?? "none"})`
  );
}

/** Polls `condition` every 5 ms; throws with `describe()` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, describe: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function runRestartDrill(drill: RestartDrill): Promise<void> {
  const { sink, total, kills } = drill;
  let seq = 0;
  const produce = async (end: number): Promise<void> => {
    while (seq < end) {
      for (let i = 0; i < 500 && seq < end; i++, seq++) sink.enqueue({ seq, msg: `record ${seq}` }, 64);
      await yieldToLoop();
    }
  };
  for (let phase = 0; phase <= kills; phase++) {
    const start = Math.round((total * phase) / (kills + 1));
    const end = Math.round((total * (phase + 1)) / (kills + 1));
    if (phase === kills) {
      await produce(end);
      break;
    }
    await produce(start + Math.round((end - start) / 2));
    await waitFor(
      () => sink.health().delivered >= start + (end - start) / 4,
      () => identityText(sink.health()),
      20_000,
    );
    const killed = drill.kill(phase);
    await produce(end);
    await killed;
    const killedAtMs = Date.now();
    await waitFor(
      () => (sink.health().lastError?.timeMs ?? 0) >= killedAtMs,
      () => identityText(sink.health()),
      10_000,
    );
    await drill.start();
  }
}
