// Fault injection: the process is killed (SIGKILL) with the disk spool on. A child enqueues records
// while the receiver is down and is killed once its spool reports them durable (fsync always); a new
// sink on the same spool directory, with the receiver up, then delivers every accepted record.
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { createSink } from "../../runtime/reliability/sink/sink.js";
import { deliveryIdentityHolds } from "../../runtime/reliability/delivery-accounting.js";
import type { SinkHealth } from "../../runtime/reliability/sink/reports.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { freePorts, repoRoot, tempDir } from "../helpers/daemons.js";
import { createRestartableForwardReceiver } from "../helpers/restartable-forward-receiver.js";
import { identityText } from "../helpers/restart-drill.js";
import { encodeSeqRecords, receivedSeqs, type SeqRecord } from "../helpers/seq-records.js";
import { deserializeSeq, segmentFiles, serializeSeq, spooledSeqs } from "../helpers/spool-codec.js";

const cleanups = cleanupsAfterEach();
const child = path.join(repoRoot, "test/helpers/spool-crash-child.ts");

/** Runs the child until it reports `count` records durable, then SIGKILLs it; returns its last health. */
async function crashAfterDurable(port: number, dir: string, count: number, maxQueueBytes?: number): Promise<SinkHealth> {
  const args = ["--import", "tsx", child, String(port), dir, String(count), ...(maxQueueBytes === undefined ? [] : [String(maxQueueBytes)])];
  const proc = spawn(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  cleanups.push(async () => void proc.kill("SIGKILL"));
  let stderr = "";
  proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(proc, "exit");
  const lines = createInterface({ input: proc.stdout });
  const deadline = setTimeout(() => proc.kill("SIGKILL"), 20_000);
  try {
    for await (const line of lines) {
      if (!line.startsWith("durable ")) continue;
      proc.kill("SIGKILL");
      const [code, signal] = (await exited) as [number | null, string | null];
      expect({ code, signal }).toEqual({ code: null, signal: "SIGKILL" });
      return JSON.parse(line.slice("durable ".length)) as SinkHealth;
    }
  } finally {
    clearTimeout(deadline);
  }
  throw new Error(`child ended without reporting durability: ${stderr}`);
}

/** The next process: a receiver up on `port` and a sink over it reading the spool in `dir`. */
async function restartWithSpool(port: number, dir: string) {
  const receiver = createRestartableForwardReceiver(port);
  cleanups.push(() => receiver.stop());
  await receiver.start();
  const sink = createSink<SeqRecord>({
    transport: createForwardTransport({ host: "127.0.0.1", port }),
    encode: encodeSeqRecords("app.crash"),
    flushIntervalMs: 10,
    spool: { dir, maxBytes: 16 * 1024 * 1024, fsync: "always" },
    serialize: serializeSeq,
    deserialize: deserializeSeq,
  });
  cleanups.push(() => sink.shutdown(500));
  return { receiver, sink };
}

describe("a sink with a disk spool across a process crash", () => {
  it("delivers every record a SIGKILLed process had accepted and reported durable, from a new process on the same spool", { timeout: 30_000 }, async () => {
    const temp = tempDir("spool-crash-");
    cleanups.push(async () => temp.remove());
    const dir = path.join(temp.dir, "spool");
    const [port] = (await freePorts(1)) as [number];
    const count = 5000;

    const before = await crashAfterDurable(port, dir, count);
    expect(before).toMatchObject({ emitted: count, delivered: 0, droppedTotal: 0, spool: { written: count, synced: count, ioErrors: 0 } });
    expect(segmentFiles(dir).length).toBeGreaterThanOrEqual(1);
    expect(spooledSeqs(dir)).toEqual({ seqs: Array.from({ length: count }, (_, i) => i), corrupt: 0 });

    const { receiver, sink } = await restartWithSpool(port, dir);
    sink.enqueue({ seq: count, msg: "after the restart" }, 64);
    const report = await sink.flush(15_000);
    expect(report.status, identityText(report.health)).toBe("complete");

    const seqs = receivedSeqs(receiver.frames);
    expect(new Set(seqs)).toEqual(new Set(Array.from({ length: count + 1 }, (_, i) => i)));
    expect(seqs.at(-1)).toBe(count); // the recovered records went first
    const h = sink.health();
    expect(h).toMatchObject({
      emitted: count + 1,
      delivered: count + 1,
      droppedTotal: 0,
      resent: count,
      spool: { recovered: count, corrupt: 0, recoverableSegments: 0 },
    });
    expect(deliveryIdentityHolds(h), identityText(h)).toBe(true);
    await sink.shutdown(1000);
    expect(segmentFiles(dir)).toEqual([]);
  });

  it("delivers the records a SIGKILLed process had spilled to disk (its memory queue full), in order, from a new process", { timeout: 30_000 }, async () => {
    const temp = tempDir("spool-crash-");
    cleanups.push(async () => temp.remove());
    const dir = path.join(temp.dir, "spool");
    const [port] = (await freePorts(1)) as [number];
    const count = 5000;

    const before = await crashAfterDurable(port, dir, count, 6400); // 100 records in memory, the rest spilled
    expect(before).toMatchObject({ emitted: count, delivered: 0, droppedTotal: 0, spool: { written: count, synced: count, spilledTotal: count - 100 } });
    expect(spooledSeqs(dir)).toEqual({ seqs: Array.from({ length: count }, (_, i) => i), corrupt: 0 });

    const { receiver, sink } = await restartWithSpool(port, dir);
    const report = await sink.flush(15_000);
    expect(report.status, identityText(report.health)).toBe("complete");
    expect(receivedSeqs(receiver.frames)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(sink.health()).toMatchObject({ emitted: count, delivered: count, droppedTotal: 0, spool: { recovered: count, corrupt: 0 } });
    await sink.shutdown(1000);
    expect(segmentFiles(dir)).toEqual([]);
  });
});
