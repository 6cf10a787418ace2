// Issue 13 item 1: the queue bound bounds memory. A client whose receiver refuses connections (a
// closed port) logs entries with large data values in a child process (fresh heap, --expose-gc); the
// heap and RSS it keeps after gc stay within the default 8 MiB bound + 64 MB, and the entries past
// the bound are counted as `queue_full` drops.
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePorts, repoRoot } from "../helpers/daemons.js";

const child = path.join(repoRoot, "test/faults/support/queue-memory-child.ts");

interface ChildReport {
  heapGrowthMB: number;
  rssGrowthMB: number;
  peakRssGrowthMB: number;
  maxQueueBytes: number;
  totals: { emitted: number; delivered: number; droppedTotal: number; queued: number; inFlight: number };
  dropped: { queue_full: number };
  log: { written: number; internalErrors: number };
}

/** Runs one scenario in a child with a 512 MB heap cap (a bound that does not hold ends it with an OOM, not the machine). */
async function runScenario(scenario: string): Promise<ChildReport> {
  const [port] = (await freePorts(1)) as [number];
  const proc = spawn(process.execPath, ["--expose-gc", "--max-old-space-size=512", "--import", "tsx", child, scenario, String(port)], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  proc.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = setTimeout(() => proc.kill("SIGKILL"), 50_000);
  const [code, signal] = (await once(proc, "exit")) as [number | null, string | null];
  clearTimeout(deadline);
  const line = stdout.split("\n").find((l) => l.startsWith("{"));
  if (line === undefined) throw new Error(`scenario ${scenario}: exit ${String(code)} ${String(signal)}, no report: ${stderr.slice(-2000)}`);
  return JSON.parse(line) as ChildReport;
}

const limitMB = (8 * 1024 * 1024) / 1e6 + 64;

describe("the queue bound bounds memory (receiver down, default 8 MiB bound)", () => {
  for (const [scenario, count] of [
    ["keys", 2000],
    ["list", 1500],
    ["big", 500],
  ] as const) {
    it(`${scenario}: ${String(count)} entries keep heap and RSS within bound + 64 MB, the rest dropped as queue_full`, { timeout: 60_000 }, async () => {
      const r = await runScenario(scenario);
      const figures = { heap: r.heapGrowthMB, rss: r.rssGrowthMB, peakRss: r.peakRssGrowthMB, dropped: r.dropped.queue_full };
      process.stdout.write(`queue-memory ${scenario}: ${JSON.stringify(figures)}\n`);
      expect(r.maxQueueBytes).toBe(8 * 1024 * 1024);
      expect(r.heapGrowthMB).toBeLessThanOrEqual(limitMB);
      expect(r.rssGrowthMB).toBeLessThanOrEqual(limitMB);
      expect(r.log).toMatchObject({ written: count + 100, internalErrors: 0 });
      expect(r.dropped.queue_full).toBeGreaterThan(0);
      const t = r.totals;
      expect(t.emitted).toBe(count + 100);
      expect(t.emitted).toBe(t.delivered + t.droppedTotal + t.queued + t.inFlight);
    });
  }
});
