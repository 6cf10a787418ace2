import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LeftoverSegmentReader } from "../../runtime/reliability/spool/leftover-segment.js";
import { decodeFrames, encodeFrames } from "../../runtime/reliability/spool/spool-frame.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const codec = { serialize: (s: string) => Buffer.from(s), deserialize: (b: Uint8Array) => Buffer.from(b).toString() };

function segment(bytes: Buffer): { index: number; path: string; bytes: number } {
  const dir = mkdtempSync(path.join(tmpdir(), "leftover-"));
  dirs.push(dir);
  const file = path.join(dir, "segment-000000000001.spool");
  writeFileSync(file, bytes);
  return { index: 1, path: file, bytes: bytes.length };
}

async function readAll(bytes: Buffer, chunkBytes: number): Promise<{ records: string[]; corrupt: number; chunks: number }> {
  const reader = await LeftoverSegmentReader.open(segment(bytes), codec, chunkBytes);
  if (!(reader instanceof LeftoverSegmentReader)) throw new Error(reader.reason);
  const records: string[] = [];
  let corrupt = 0;
  let chunks = 0;
  for (;;) {
    const chunk = await reader.next();
    if (!("records" in chunk)) throw new Error(chunk.reason);
    chunks++;
    records.push(...chunk.records);
    corrupt += chunk.corrupt;
    if (chunk.done) return { records, corrupt, chunks };
  }
}

describe("LeftoverSegmentReader", () => {
  it("reads what decodeFrames reads from the whole file, a chunk at a time, across damaged frames and a torn end", async () => {
    const payloads = Array.from({ length: 200 }, (_, i) => `record ${i} ${"x".repeat(i % 50)}`);
    const bytes = encodeFrames(payloads.map((p) => Buffer.from(p)));
    bytes[500] = (bytes[500] ?? 0) ^ 0xff; // a flipped byte: one frame's CRC fails
    bytes.fill(0, 3000, 3400); // a zeroed run over several frames
    const torn = bytes.subarray(0, bytes.length - 7); // a crash mid-write
    const whole = decodeFrames(torn);
    const expected = { records: whole.payloads.map((p) => Buffer.from(p).toString()), corrupt: whole.corrupt };
    expect(expected.corrupt).toBe(3);
    for (const chunkBytes of [13, 37, 64, 1000, 1 << 20]) {
      const read = await readAll(torn, chunkBytes);
      expect({ records: read.records, corrupt: read.corrupt }).toEqual(expected);
      if (chunkBytes < 1000) expect(read.chunks).toBeGreaterThan(10);
    }
  });

  it("reads a frame longer than a chunk whole", async () => {
    const big = "y".repeat(10_000);
    expect(await readAll(encodeFrames([Buffer.from("a"), Buffer.from(big), Buffer.from("b")]), 100)).toMatchObject({ records: ["a", big, "b"], corrupt: 0 });
  });
});
