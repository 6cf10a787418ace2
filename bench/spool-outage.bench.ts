// A receiver outage of 200k log entries (~40 MB of protobuf) with an 8 MiB memory queue: the client with
// its disk spool spilling (every entry kept, read back in order) against the memory queue alone, which
// is what the spool's earlier mirror-only behaviour delivered too (it admitted only what fit in memory).
// Each run is a child process (fresh heap, heap sampled after gc) logging to a forward receiver on
// 127.0.0.1 that refuses connections for the outage, then accepts while 5,000 more entries arrive.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { runSpillOutage, type SpillOutageResult } from "../test/faults/support/spill-outage-run.js";

const outage = Number(process.env.BENCH_OUTAGE_RECORDS ?? 200_000);
const during = 5_000;
const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();

function row(label: string, r: SpillOutageResult): string {
  const total = outage + during;
  const unique = new Set(r.seqs).size;
  const lost = total - unique;
  const inOrder = r.seqs.every((seq, i) => i === 0 || seq > (r.seqs[i - 1] as number));
  const drops = Object.entries(r.sink.dropped)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${reason} ${n.toLocaleString("en-US")}`)
    .join(", ");
  const overBound = r.peakHeapGrowthMB - r.maxQueueBytes / 1e6;
  return (
    `| ${label} | ${total.toLocaleString("en-US")} | ${unique.toLocaleString("en-US")} | ${lost.toLocaleString("en-US")} | ${drops || "none"} | ` +
    `${(r.seqs.length - unique).toLocaleString("en-US")} | ${inOrder ? "yes" : "no"} | ${(r.drainMs / 1000).toFixed(1)} | ` +
    `${r.peakHeapGrowthMB.toFixed(1)} (${overBound >= 0 ? "+" : ""}${overBound.toFixed(1)}) | ${r.peakRssGrowthMB.toFixed(1)} | ` +
    `${(r.sink.spool?.spilledTotal ?? 0).toLocaleString("en-US")} |`
  );
}

const spilling = await runSpillOutage(outage, during, true, 300_000);
const memoryOnly = await runSpillOutage(outage, during, false, 300_000);
const text = [
  `## Receiver outage of ${outage.toLocaleString("en-US")} log entries, 8 MiB memory queue`,
  "",
  `Node ${process.version}, commit ${commit}. Each run in its own process; the receiver (127.0.0.1, forward protocol with acks,`,
  "decoded with @msgpack/msgpack) refuses connections for the outage, then accepts while 5,000 more entries arrive at about",
  "5,000/s. Drain: from the receiver's recovery until `flush()` reports every entry delivered. Heap: most growth over the",
  "baseline after gc, sampled every 10k entries and every 250 ms (in brackets: over the 8.4 MB bound).",
  "",
  "| client | entries | received | lost | drops | duplicates | in order | drain s | peak heap MB (over bound) | peak RSS MB | spilled |",
  "| --- | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: |",
  row("spool on (spills to disk)", spilling),
  row("memory queue only (= the mirror-only spool before)", memoryOnly),
  "",
].join("\n");
const dir = join(dirname(fileURLToPath(import.meta.url)), "results");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "spool-outage.md"), text);
process.stdout.write(`${text}\n`);
