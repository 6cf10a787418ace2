// Run with `node --allow-natives-syntax --import tsx`: prints, as JSON, whether a byte-bounded queue
// keeps its hidden class through what the first records do to it (offers, polls, holds, a ring that
// grows and wraps, clear). A change of hidden class after the code using it was optimized sends that
// code back to be compiled again.
import { ByteBoundedQueue } from "../../runtime/reliability/byte-bounded-queue.js";

const sameMap = new Function("a", "b", "return %HaveSameMap(a, b)") as (a: unknown, b: unknown) => boolean;

const fresh = new ByteBoundedQueue<unknown>({ maxQueueBytes: 1 << 30 });
const used = new ByteBoundedQueue<unknown>({ maxQueueBytes: 1 << 30 });
const steps: Record<string, boolean> = {};
const record = { a: 1 };
for (let i = 0; i < 100; i++) used.offer(i % 2 === 0 ? i : record, 428);
steps.offers = sameMap(fresh, used);
for (let i = 0; i < 60; i++) used.poll();
steps.polls = sameMap(fresh, used);
used.hold(1000);
used.release(500);
steps["hold and release"] = sameMap(fresh, used);
for (let i = 0; i < 5000; i++) {
  used.offer(i, 333.5);
  if (i % 3 === 0) used.poll();
}
steps["growth and wrapping"] = sameMap(fresh, used);
used.clear();
steps.clear = sameMap(fresh, used);
process.stdout.write(JSON.stringify(steps));
