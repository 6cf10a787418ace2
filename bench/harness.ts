// A small benchmark harness: contenders run in interleaved rounds in one process, on the same input;
// results are medians of per-round throughput, reported as ratios to a baseline.
import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** One contender: a name and a function doing `n` operations. */
export interface Contender {
  readonly name: string;
  readonly run: (n: number) => void;
}

/** Result of one contender. */
export interface BenchResult {
  readonly name: string;
  readonly medianOpsPerSec: number;
  readonly medianNsPerOp: number;
  readonly rounds: number;
}

/** Runs every contender `rounds` times, interleaved, `opsPerRound` operations each, after a warm-up. */
export function race(contenders: readonly Contender[], opts: { rounds: number; opsPerRound: number }): BenchResult[] {
  for (const c of contenders) c.run(Math.max(1, Math.floor(opts.opsPerRound / 10)));
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < opts.rounds; r++) {
    for (const c of contenders) {
      const start = process.hrtime.bigint();
      c.run(opts.opsPerRound);
      const ns = Number(process.hrtime.bigint() - start);
      samples.get(c.name)!.push(ns / opts.opsPerRound);
    }
  }
  return contenders.map((c) => {
    const ns = median(samples.get(c.name)!);
    return { name: c.name, medianNsPerOp: ns, medianOpsPerSec: 1e9 / ns, rounds: opts.rounds };
  });
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Formats results as a markdown table with ratios to `baseline`, and writes it to bench/results/<scenario>.md. */
export function report(scenario: string, title: string, results: readonly BenchResult[], baseline: string): string {
  const base = results.find((r) => r.name === baseline);
  if (base === undefined) throw new Error(`no baseline ${baseline}`);
  const commit = (() => {
    try {
      return execSync("git rev-parse --short HEAD", { encoding: "utf8" }).trim();
    } catch {
      return "unknown";
    }
  })();
  const lines = [
    `## ${title}`,
    "",
    `Node ${process.version}, commit ${commit}, ${results[0]?.rounds ?? 0} interleaved rounds, medians.`,
    "",
    "| contender | ops/s | ns/op | ratio to baseline |",
    "| --- | ---: | ---: | ---: |",
    ...results.map(
      (r) =>
        `| ${r.name} | ${Math.round(r.medianOpsPerSec).toLocaleString("en-US")} | ${r.medianNsPerOp.toFixed(0)} | ` +
        `${(r.medianOpsPerSec / base.medianOpsPerSec).toFixed(2)}× |`,
    ),
    "",
  ];
  const text = lines.join("\n");
  const dir = join(dirname(fileURLToPath(import.meta.url)), "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${scenario}.md`), text);
  return text;
}
