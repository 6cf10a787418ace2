// CPU per delivered record of the built client (plain node, no transpiler in the process), to a
// receiver in its own process, against pino → /dev/null, the floor: the forward sink with ack (the
// target), the OTLP logs sink (2xx) and the file sink beside it. Two ways of logging: a burst (40k
// records per event-loop turn) and steady (100 per turn, as a service logs between its own I/O).
// Fresh processes, the contenders' order rotated every round, medians; each ratio is the median of
// the per-round ratios against pino in the same round.
// BENCH_BASE_ENTRY=<another build's dist/runtime/index.js> adds that build's forward sink as an A/B
// row (same rounds, order rotated with the rest), e.g. a copy of dist built at the base commit.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.env.BENCH_ROUNDS ?? 7);
const baseEntry = process.env.BENCH_BASE_ENTRY;

interface Contender {
  readonly label: string;
  readonly file: string;
  readonly sink?: string;
  readonly entry?: string;
}
const contenders: Contender[] = [
  { label: "pino → /dev/null (sync), the floor, no network", file: "cpu-pino.mjs" },
  { label: "@emp/telemetry log.info → forward with ack, delivered", file: "cpu-emp.mjs", sink: "forward" },
  {
    label: "the same, the receiver decoding every entry before its ack (falls behind in steady mode)",
    file: "cpu-emp.mjs",
    sink: "forward-decoding",
  },
  { label: "@emp/telemetry log.info → OTLP logs (http/protobuf), delivered", file: "cpu-emp.mjs", sink: "otlp" },
  { label: "@emp/telemetry log.info → file (`log.addFile`), written", file: "cpu-emp.mjs", sink: "file" },
];
if (baseEntry !== undefined)
  contenders.push({
    label: `${process.env.BENCH_BASE_LABEL ?? "base build"} → forward with ack (A/B)`,
    file: "cpu-emp.mjs",
    sink: "forward",
    entry: baseEntry,
  });

const cpu = (c: Contender, mode: string): number => {
  const env = c.entry === undefined ? process.env : { ...process.env, EMP_TELEMETRY_ENTRY: c.entry };
  const args = [join(here, "support", c.file), mode, ...(c.sink === undefined ? [] : [c.sink])];
  return Number(execFileSync(process.execPath, args, { encoding: "utf8", cwd: join(here, ".."), env }).trim());
};
const rows: string[] = [];
for (const mode of ["burst", "steady"] as const) {
  const times = contenders.map(() => [] as number[]);
  const ratios = contenders.map(() => [] as number[]);
  for (let round = 0; round < runs; round++) {
    const inRound: number[] = new Array(contenders.length);
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + round) % contenders.length;
      inRound[i] = cpu(contenders[i]!, mode);
    }
    for (let i = 0; i < contenders.length; i++) {
      times[i]!.push(inRound[i]!);
      ratios[i]!.push(inRound[i]! / inRound[0]!);
    }
  }
  for (let i = 0; i < contenders.length; i++) {
    rows.push(`| ${mode} | ${contenders[i]!.label} | ${median(times[i]!).toFixed(0)} | ${median(ratios[i]!).toFixed(2)}× |`);
  }
}
const text = [
  "## CPU per delivered record (compiled, plain node)",
  "",
  `Node ${process.version}; ${runs} fresh processes per contender and mode, the order rotated every round; ` +
    "medians of process CPU (user + system, all threads) per record, 200k records; ratio: median of the " +
    "per-round ratios to pino. burst: 40k records per event-loop turn; steady: 100 per turn. The forward " +
    "receiver acks each chunk as it arrives and counts its entries by the chunk's `size` option (as the OTLP " +
    "receiver answers without decoding): one that decodes every entry first (with @msgpack/msgpack) falls " +
    "behind a client logging at full speed, so its row measures a growing backlog. Needs `npm run build`.",
  "",
  "| mode | contender | CPU ns/record | ratio to pino |",
  "| --- | --- | ---: | ---: |",
  ...rows,
  "",
].join("\n");
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "cpu-per-record.md"), text);
process.stdout.write(`${text}\n`);
