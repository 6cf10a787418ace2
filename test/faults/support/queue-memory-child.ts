// Child of queue-memory.test.ts (fresh heap, run with --expose-gc): a client whose Fluentd receiver
// refuses connections logs one scenario's entries, each holding large data values, then prints how
// much its heap and RSS grew (after gc) and its sinks' counters as one JSON line.
import { closedReceiverClient } from "./closed-receiver-client.js";

const [scenario = "", portArg = "0"] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
const filler = "x".repeat(1 << 20);

/** A string of `length` characters no other string shares (flat: its own bytes). */
function distinct(i: number, length: number): string {
  const s = `${String(i)}:${filler.slice(0, length - String(i).length - 1)}`;
  Number(s); // flattens the cons string: the entry holds `length` bytes of its own
  return s;
}

const scenarios: Record<string, { count: number; data: (i: number) => unknown }> = {
  // 2,000 entries, each with 16 keys of 32 KB strings.
  keys: { count: 2000, data: (i) => Object.fromEntries(Array.from({ length: 16 }, (_, k) => [`k${k}`, distinct(i * 16 + k, 32_000)])) },
  // 1,500 entries, each with a list of 64 strings of 32 KB.
  list: { count: 1500, data: (i) => ({ items: Array.from({ length: 64 }, (_, k) => distinct(i * 64 + k, 32_000)) }) },
  // 500 entries, each with one 1 MB string (truncated to the contract's 32 KB).
  big: { count: 500, data: (i) => ({ body: distinct(i, 1 << 20) }) },
};
const chosen = scenarios[scenario];
if (chosen === undefined) throw new Error(`unknown scenario ${scenario}`);

const client = closedReceiverClient(Number(portArg));
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
for (let i = 0; i < 100; i++) client.log.info("warm", { i });
await turn();
gc();
gc();
const before = process.memoryUsage();
let peakRss = before.rss;
for (let i = 0; i < chosen.count; i++) {
  client.log.info("entry", chosen.data(i));
  if (i % 20 === 19) {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    await turn();
  }
}
await new Promise((resolve) => setTimeout(resolve, 200));
gc();
gc();
const after = process.memoryUsage();
const mb = (n: number): number => Math.round(n / 1e5) / 10;
const health = client.health();
const [sink] = health.sinks;
process.stdout.write(
  `${JSON.stringify({
    heapGrowthMB: mb(after.heapUsed - before.heapUsed),
    rssGrowthMB: mb(after.rss - before.rss),
    peakRssGrowthMB: mb(peakRss - before.rss),
    maxQueueBytes: sink?.maxQueueBytes,
    totals: health.totals,
    dropped: sink?.dropped,
    log: health.log,
  })}\n`,
);
await client.shutdown(100);
process.exit(0);
