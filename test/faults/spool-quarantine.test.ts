/**
 * Issue 13 item 8: a spool segment left on disk that cannot be read (larger than the reader's limit, a directory
 * where a file is expected, a read that fails) is moved aside as `<name>.quarantined`, counted, diagnosed once,
 * and its size no longer counts toward the spool's bound: new records are spooled and delivered.
 */
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EncodedBatch } from "../../runtime/transports/transport.js";
import { createSink, type Sink } from "../../runtime/reliability/sink/sink.js";
import { encodeFrames } from "../../runtime/reliability/spool/spool-frame.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { tempDir } from "../helpers/daemons.js";
import { ok, ScriptedTransport } from "../helpers/scripted-transport.js";
import type { SeqRecord } from "../helpers/seq-records.js";
import { deserializeSeq, serializeSeq } from "../helpers/spool-codec.js";

const cleanups = cleanupsAfterEach();

interface SeqBatch extends EncodedBatch {
  readonly seqs: readonly number[];
}

function spoolDir(): string {
  const temp = tempDir("spool-quarantine-");
  cleanups.push(async () => temp.remove());
  const dir = path.join(temp.dir, "spool");
  mkdirSync(dir, { recursive: true });
  return dir;
}

function sinkOn(dir: string, transport: ScriptedTransport, diagnostics: string[]): Sink<SeqRecord> {
  const sink = createSink<SeqRecord>({
    transport,
    encode: (records): SeqBatch => ({ body: new Uint8Array(records.length), count: records.length, bytes: records.length, seqs: records.map((r) => r.seq) }),
    serialize: serializeSeq,
    deserialize: deserializeSeq,
    spool: { dir, maxBytes: 1 << 20 },
    flushIntervalMs: 1,
    backoff: { initialDelayMs: 1, maxDelayMs: 5 },
    onDiagnostic: (message) => diagnostics.push(message),
  });
  cleanups.push(() => sink.shutdown(100));
  return sink;
}

const delivered = (transport: ScriptedTransport): number[] => transport.sent.flatMap((b) => [...(b as unknown as SeqBatch).seqs]);
const oldSegment = (dir: string, index: number, seqs: number[]): void =>
  writeFileSync(path.join(dir, `segment-${String(index).padStart(12, "0")}.spool`), encodeFrames(seqs.map((seq) => serializeSeq({ seq, msg: "old" }))));

async function expectCarriesOn(sink: Sink<SeqRecord>, transport: ScriptedTransport, from: number): Promise<void> {
  for (let seq = from; seq < from + 20; seq++) sink.enqueue({ seq, msg: "new" }, 40);
  expect((await sink.flush(5000)).status).toBe("complete");
  expect(delivered(transport)).toEqual(Array.from({ length: from + 20 }, (_, i) => i));
  expect(sink.health()).toMatchObject({ droppedTotal: 0, dropped: { queue_full: 0 } });
}

describe("an unreadable leftover spool segment", () => {
  it("larger than the reader's limit (sparse, 3 GiB) is quarantined and its size released from the bound", async () => {
    const dir = spoolDir();
    oldSegment(dir, 1, [0, 1]);
    const huge = path.join(dir, "segment-000000000002.spool");
    const fd = openSync(huge, "w");
    ftruncateSync(fd, 3 * 1024 ** 3);
    closeSync(fd);
    const transport = new ScriptedTransport();
    transport.auto = () => ok;
    const diagnostics: string[] = [];
    const sink = sinkOn(dir, transport, diagnostics);
    await expectCarriesOn(sink, transport, 2);
    expect(sink.health().spool).toMatchObject({ quarantined: 1, quarantinedBytes: 3 * 1024 ** 3, recovered: 2 });
    expect(existsSync(`${huge}.quarantined`)).toBe(true);
    expect(existsSync(huge)).toBe(false);
    expect(diagnostics.filter((m) => m.includes("quarantined"))).toHaveLength(1);
    expect(diagnostics.join("\n")).toContain("segment-000000000002.spool");
  });

  it("that is a directory is quarantined, never deleted, and the sink carries on", async () => {
    const dir = spoolDir();
    const inTheWay = path.join(dir, "segment-000000000001.spool");
    mkdirSync(inTheWay);
    writeFileSync(path.join(inTheWay, "user-data"), "keep me");
    oldSegment(dir, 2, [0, 1, 2]);
    const transport = new ScriptedTransport();
    transport.auto = () => ok;
    const diagnostics: string[] = [];
    const sink = sinkOn(dir, transport, diagnostics);
    await expectCarriesOn(sink, transport, 3);
    expect(sink.health().spool).toMatchObject({ quarantined: 1, recovered: 3, recoverableSegments: 0 });
    expect(existsSync(path.join(`${inTheWay}.quarantined`, "user-data"))).toBe(true);
    await sink.shutdown(1000);
    expect(readdirSync(dir)).toEqual(["segment-000000000001.spool.quarantined"]);
  });

  it("quarantined by an earlier process is counted and reported by the next one", async () => {
    const dir = spoolDir();
    const sizeOf = 1234;
    writeFileSync(path.join(dir, "segment-000000000001.spool.quarantined"), Buffer.alloc(sizeOf));
    const transport = new ScriptedTransport();
    transport.auto = () => ok;
    const diagnostics: string[] = [];
    const sink = sinkOn(dir, transport, diagnostics);
    await expectCarriesOn(sink, transport, 0);
    expect(sink.health().spool).toMatchObject({ quarantined: 1, quarantinedBytes: sizeOf });
    expect(diagnostics.filter((m) => m.includes("quarantined by an earlier run"))).toHaveLength(1);
    await sink.shutdown(1000);
    expect(existsSync(path.join(dir, "segment-000000000001.spool.quarantined"))).toBe(true);
  });

  it("whose read fails after it was listed is quarantined, its bytes released, diagnosed once", async () => {
    const dir = spoolDir();
    oldSegment(dir, 1, [99]);
    oldSegment(dir, 2, [0]);
    const transport = new ScriptedTransport();
    transport.auto = () => ok;
    const diagnostics: string[] = [];
    const sink = sinkOn(dir, transport, diagnostics);
    const listed = path.join(dir, "segment-000000000001.spool");
    rmSync(listed); // listed as a file, unreadable (EISDIR) by the time it is read
    mkdirSync(listed);
    await expectCarriesOn(sink, transport, 1);
    const spool = sink.health().spool;
    expect(spool).toMatchObject({ quarantined: 1, recovered: 1 });
    await sink.shutdown(1000);
    expect(sink.health().spool?.bytes).toBe(0);
    expect(existsSync(`${listed}.quarantined`)).toBe(true);
    expect(diagnostics.filter((m) => m.includes("quarantined"))).toHaveLength(1);
  });
});

describe("a full spool", () => {
  it("is named in the queue_full diagnostic, not maxQueueBytes", async () => {
    const transport = new ScriptedTransport();
    const diagnostics: string[] = [];
    const sink = createSink<SeqRecord>({
      transport,
      encode: (records) => ({ body: new Uint8Array(records.length), count: records.length, bytes: records.length }),
      serialize: serializeSeq,
      deserialize: deserializeSeq,
      spool: { dir: spoolDir(), maxBytes: 1024 },
      onDiagnostic: (message) => diagnostics.push(message),
    });
    cleanups.push(() => sink.shutdown(100));
    for (let seq = 0; seq < 5; seq++) sink.enqueue({ seq, msg: "m" }, 400);
    expect(sink.health().dropped.queue_full).toBe(3);
    const full = diagnostics.find((m) => m.includes("full")) ?? "";
    expect(full).toContain("spool.maxBytes 1024");
    expect(full).not.toContain("maxQueueBytes");
  });
});
