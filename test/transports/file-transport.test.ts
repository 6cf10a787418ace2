/**
 * createFileTransport on a real temporary directory: NDJSON lines, rotation by size, errors as results.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFileTransport } from "../../runtime/transports/file/file-transport.js";
import { resolveFileTransportOptions } from "../../runtime/transports/file/file-transport-options.js";
import type { Transport } from "../../runtime/transports/transport.js";
import { makeNdjsonBatch as ndjson, numberedRecords } from "../helpers/batches.js";
import { tempDir } from "../helpers/daemons.js";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(options: Record<string, unknown> = {}): { t: Transport; file: string; dir: string } {
  const temp = tempDir("file-transport-");
  cleanups.push(temp.remove);
  const file = path.join(temp.dir, "nested", "deeper", "telemetry.ndjson");
  const t = createFileTransport({ path: file, ...options });
  cleanups.push(() => t.close());
  return { t, file, dir: path.dirname(file) };
}

function lines(file: string): Array<Record<string, unknown>> {
  const text = readFileSync(file, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("createFileTransport", () => {
  it("appends one JSON object per line, creating the directory, with the time in nanoseconds", async () => {
    const { t, file } = setup();
    expect(await t.send(ndjson(numberedRecords("a", 2), "app.api", "tag"))).toEqual({ status: "ok" });
    expect(await t.send(ndjson(numberedRecords("b", 1), "app.worker", "tag"))).toEqual({ status: "ok" });
    expect(lines(file)).toEqual([
      { id: "a-0", i: 0, time: "2023-11-14T22:13:20.123456789Z", tag: "app.api" },
      { id: "a-1", i: 1, time: "2023-11-14T22:13:20.123456790Z", tag: "app.api" },
      { id: "b-0", i: 0, time: "2023-11-14T22:13:20.123456789Z", tag: "app.worker" },
    ]);
  });

  it("serialises concurrent sends into whole lines", async () => {
    const { t, file } = setup();
    const results = await Promise.all(Array.from({ length: 25 }, (_, n) => t.send(ndjson(numberedRecords(`c${n}`, 4)))));
    expect(results.every((r) => r.status === "ok")).toBe(true);
    const got = lines(file);
    expect(got).toHaveLength(100);
    expect(new Set(got.map((r) => r.id)).size).toBe(100);
  });

  it("rotates by size and keeps keepFiles rotated files", async () => {
    const { t, file, dir } = setup({ maxFileBytes: 300, keepFiles: 2 });
    const ids: string[] = [];
    for (let n = 0; n < 12; n++) {
      const records = numberedRecords(`r${n}`, 2); // 2 lines of ~60 bytes per batch
      ids.push(...records.map((r) => String(r.record.id)));
      expect(await t.send(ndjson(records))).toEqual({ status: "ok" });
    }
    expect(readdirSync(dir).sort()).toEqual(["telemetry.ndjson", "telemetry.ndjson.1", "telemetry.ndjson.2"]);
    for (const name of readdirSync(dir)) expect(statSync(path.join(dir, name)).size).toBeLessThanOrEqual(300);
    const kept = [`${file}.2`, `${file}.1`, file].flatMap(lines).map((r) => String(r.id));
    expect(kept).toEqual(ids.slice(ids.length - kept.length)); // newest, in order, oldest dropped whole
    expect(kept.length).toBeGreaterThan(6);
  });

  it("writes a batch larger than maxFileBytes alone into a fresh file", async () => {
    const { t, file } = setup({ maxFileBytes: 100, keepFiles: 1 });
    await t.send(ndjson(numberedRecords("small", 1)));
    expect(await t.send(ndjson(numberedRecords("big", 5)))).toEqual({ status: "ok" });
    expect(lines(file).map((r) => r.id)).toEqual(["big-0", "big-1", "big-2", "big-3", "big-4"]);
    expect(lines(`${file}.1`).map((r) => r.id)).toEqual(["small-0"]);
  });

  it("reopens the file when someone else moved or deleted it", async () => {
    const { t, file } = setup();
    await t.send(ndjson(numberedRecords("before", 1)));
    rmSync(file);
    expect(await t.send(ndjson(numberedRecords("after", 1)))).toEqual({ status: "ok" });
    expect(lines(file).map((r) => r.id)).toEqual(["after-0"]);
  });

  it("resolves failed instead of throwing when the path is a directory", async () => {
    const { t, file } = setup();
    mkdirSync(file, { recursive: true });
    const result = await t.send(ndjson(numberedRecords("e", 1)));
    expect(result).toMatchObject({ status: "failed", error: { code: "rejected" } });
    expect(result.status === "ok" ? "" : result.error.message).toContain("EISDIR");
  });

  it("fails sends after close and checks its options", async () => {
    const { t, file } = setup();
    await t.close();
    expect(await t.send(ndjson(numberedRecords("x", 1)))).toMatchObject({ status: "failed", error: { code: "shutdown" } });
    expect(existsSync(file)).toBe(false);
    expect(() => resolveFileTransportOptions({ maxFileBytes: 0, keepFiles: -1, path: "" })).toThrow(/path="".*maxFileBytes=0.*keepFiles=-1/);
    expect(path.isAbsolute(resolveFileTransportOptions({ path: "x.ndjson" }).path)).toBe(true);
  });
});
