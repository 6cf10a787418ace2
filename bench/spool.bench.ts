// The cost of the disk spool. (1) The caller's cost: ns per `sink.enqueue` with the spool off and
// on with each fsync policy, in interleaved rounds (the harness runs synchronously, so this is only
// the hot path: the spool's writer runs later). (2) The whole cost: ns per record from the first
// enqueue until the spool reports every record written (and synced, for `always`/`batch` at the
// end), producing 500 records per event-loop turn, with a transport that acks at once.
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { createSink, type Sink } from "../runtime/reliability/sink/sink.js";
import type { SpoolFsync } from "../runtime/reliability/spool/spool-options.js";
import type { SendResult, Transport } from "../runtime/transports/transport.js";
import { median, race, report, type Contender } from "./harness.js";

interface BenchRecord {
  readonly seq: number;
  readonly level: string;
  readonly message: string;
  readonly service: string;
  readonly data: Readonly<Record<string, unknown>>;
}

const opsPerRound = Number(process.env.BENCH_RECORDS ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
const endToEndRecords = Number(process.env.BENCH_E2E_RECORDS ?? 50_000);
const ok: SendResult = Object.freeze({ status: "ok" });
const nullTransport: Transport = { name: "null", send: () => Promise.resolve(ok), close: () => Promise.resolve() };
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const data = Object.freeze({ port: 3001, "emp.job.id": "job-42", ok: true, route: "/jobs" });
const record = (seq: number): BenchRecord => ({ seq, level: "INFO", message: "Server started", service: "api-server", data });
const scratch = mkdtempSync(join(tmpdir(), "spool-bench-"));
const sinks: Array<Sink<BenchRecord>> = [];

function makeSink(fsync: SpoolFsync | undefined, name: string): Sink<BenchRecord> {
  const sink = createSink<BenchRecord>({
    transport: nullTransport,
    encode: (records) => ({ body: new Uint8Array(0), count: records.length, bytes: 0 }),
    maxQueueBytes: 1024 * 1024 * 1024,
    ...(fsync === undefined
      ? {}
      : {
          spool: { dir: join(scratch, name), maxBytes: 4 * 1024 * 1024 * 1024, fsync },
          serialize: (r: BenchRecord) => encoder.encode(JSON.stringify(r)),
          deserialize: (bytes: Uint8Array) => JSON.parse(decoder.decode(bytes)) as BenchRecord,
        }),
  });
  sinks.push(sink);
  return sink;
}

const policies: ReadonlyArray<SpoolFsync | undefined> = [undefined, "never", "batch", "always"];
const label = (fsync: SpoolFsync | undefined): string => (fsync === undefined ? "spool off" : `spool on, fsync ${fsync}`);

// (1) The caller's cost.
const contenders: Contender[] = policies.map((fsync) => {
  const sink = makeSink(fsync, `sync-${fsync ?? "off"}`);
  let seq = 0;
  return {
    name: `enqueue, ${label(fsync)}`,
    run: (n) => {
      for (let i = 0; i < n; i++) sink.enqueue(record(seq++), 160);
    },
  };
});
const results = race(contenders, { rounds, opsPerRound });
const table = report("spool", "Disk spool: caller's cost of sink.enqueue (ns per call)", results, "enqueue, spool off");
process.stdout.write(`${table}\n`);

// (2) The whole cost, including serialisation, writes and syncs.
async function endToEnd(fsync: SpoolFsync | undefined, run: number): Promise<number> {
  const sink = makeSink(fsync, `e2e-${fsync ?? "off"}-${run}`);
  const started = process.hrtime.bigint();
  for (let seq = 0; seq < endToEndRecords; ) {
    for (let i = 0; i < 500; i++, seq++) sink.enqueue(record(seq), 160);
    await yieldToLoop();
  }
  const done = (): boolean => {
    const spool = sink.health().spool;
    if (spool === undefined) return sink.health().delivered === endToEndRecords;
    return spool.written === endToEndRecords && (fsync !== "always" || spool.synced === endToEndRecords);
  };
  while (!done()) await yieldToLoop();
  const ns = Number(process.hrtime.bigint() - started) / endToEndRecords;
  await sink.shutdown(5000);
  return ns;
}

const lines = [
  "",
  `### Whole cost: ns per record until written (${endToEndRecords} records, 500 per turn, medians of 5 runs)`,
  "",
  "| spool | ns/record | records/s |",
  "| --- | ---: | ---: |",
];
for (const fsync of policies) {
  const samples: number[] = [];
  for (let run = 0; run < 5; run++) samples.push(await endToEnd(fsync, run));
  const ns = median(samples);
  lines.push(`| ${label(fsync)} | ${ns.toFixed(0)} | ${Math.round(1e9 / ns).toLocaleString("en-US")} |`);
}
lines.push("");
const text = lines.join("\n");
appendFileSync(join(dirname(fileURLToPath(import.meta.url)), "results", "spool.md"), text);
process.stdout.write(`${text}\n`);
await Promise.all(sinks.map((s) => s.shutdown(1000)));
rmSync(scratch, { recursive: true, force: true });
