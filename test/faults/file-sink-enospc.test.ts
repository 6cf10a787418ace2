/**
 * Issue 13 item 9: a write that lands part of a batch then fails with ENOSPC must not leave a torn line,
 * and the retried batch must not duplicate the part already written.
 */
import { open, type FileHandle } from "node:fs/promises";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFileTransport } from "../../runtime/transports/file/file-transport.js";
import { makeNdjsonBatch, numberedRecords } from "../helpers/batches.js";
import { tempDir } from "../helpers/daemons.js";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
}

/** Opens real files whose first `failures` writes land a quarter of the bytes asked for, then throw ENOSPC. */
function diskFillingOpen(failures: number): (file: string, flags: string, mode: number) => Promise<FileHandle> {
  let left = failures;
  return async (file, flags, mode) => {
    const handle = await open(file, flags, mode);
    const write = handle.write.bind(handle) as (buffer: Uint8Array, offset: number, length?: number) => Promise<{ bytesWritten: number }>;
    const faulty = async (buffer: Uint8Array, offset = 0, length = buffer.byteLength - offset) => {
      if (left > 0) {
        left--;
        await write(buffer, offset, Math.max(1, Math.floor(length / 4)));
        throw enospc();
      }
      return write(buffer, offset, length);
    };
    return Object.assign(handle, { write: faulty }) as FileHandle;
  };
}

describe("file sink after ENOSPC", () => {
  it("rolls a partial write back so the retry writes each record exactly once, with no torn line", async () => {
    const temp = tempDir("file-enospc-");
    cleanups.push(temp.remove);
    const file = path.join(temp.dir, "telemetry.ndjson");
    const t = createFileTransport({ path: file }, { open: diskFillingOpen(2) });
    cleanups.push(() => t.close());
    expect((await t.send(makeNdjsonBatch(numberedRecords("before", 3)))).status).toBe("retryable");
    expect((await t.send(makeNdjsonBatch(numberedRecords("before", 3)))).status).toBe("retryable");
    expect(await t.send(makeNdjsonBatch(numberedRecords("before", 3)))).toEqual({ status: "ok" });
    const batch = makeNdjsonBatch(numberedRecords("r", 1000));
    expect(await t.send(batch)).toEqual({ status: "ok" });
    const text = readFileSync(file, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const ids = text
      .slice(0, -1)
      .split("\n")
      .map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids).toHaveLength(1003);
    expect(new Set(ids).size).toBe(1003);
  });

  it("rolls back a batch torn after whole batches were written, keeping those", async () => {
    const temp = tempDir("file-enospc-");
    cleanups.push(temp.remove);
    const file = path.join(temp.dir, "telemetry.ndjson");
    let failNext = false;
    const opener = async (name: string, flags: string, mode: number): Promise<FileHandle> => {
      const handle = await open(name, flags, mode);
      const write = handle.write.bind(handle) as (buffer: Uint8Array, offset: number, length?: number) => Promise<{ bytesWritten: number }>;
      const faulty = async (buffer: Uint8Array, offset = 0, length = buffer.byteLength - offset) => {
        if (!failNext) return write(buffer, offset, length);
        failNext = false;
        await write(buffer, offset, Math.floor(length / 3));
        throw enospc();
      };
      return Object.assign(handle, { write: faulty }) as FileHandle;
    };
    const t = createFileTransport({ path: file }, { open: opener });
    cleanups.push(() => t.close());
    expect(await t.send(makeNdjsonBatch(numberedRecords("a", 10)))).toEqual({ status: "ok" });
    failNext = true;
    const batch = makeNdjsonBatch(numberedRecords("b", 1000));
    expect((await t.send(batch)).status).toBe("retryable");
    expect(readFileSync(file, "utf8").split("\n")).toHaveLength(11);
    expect(await t.send(batch)).toEqual({ status: "ok" });
    const ids = readFileSync(file, "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids).toHaveLength(1010);
    expect(new Set(ids).size).toBe(1010);
  });
});
