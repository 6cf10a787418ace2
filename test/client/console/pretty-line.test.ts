// The console's pretty line: one readable line per entry, colours only when asked, never two lines.
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StandardLogEntry } from "../../../generated/index.js";
import { buildStandardLogEntry, logLevelValues } from "../../../generated/emp/telemetry/v1/log_contract.js";
import { consoleColors, createConsolePrinter } from "../../../runtime/client/console/console-printer.js";
import { FdLineWriter } from "../../../runtime/client/console/fd-line-writer.js";
import { jsonLine } from "../../../runtime/client/console/json-line.js";
import { prettyLine } from "../../../runtime/client/console/pretty-line.js";
import { createRepairCounts } from "../../../runtime/records/repair.js";
import { safeData } from "../../../runtime/records/safe-data.js";
import { until } from "../../helpers/until.js";

const time = new Date(2026, 0, 2, 14, 3, 7, 412);

type EntryInit = Parameters<typeof buildStandardLogEntry>[0];

function entry(message: string, data: unknown, extra: { level?: number; error?: object; trace?: object } = {}): StandardLogEntry {
  return buildStandardLogEntry({
    timeUnixNano: BigInt(time.getTime()) * 1_000_000n,
    level: logLevelValues.INFO,
    message,
    service: { name: "api-server", environment: "dev", instanceId: "i", host: "h" },
    data: safeData(data, createRepairCounts()),
    ...extra,
  } as EntryInit);
}

describe("prettyLine", () => {
  it("shows time, level, service, message and the data as key=value", () => {
    expect(prettyLine(entry("signed in", { userId: 7, route: "/login", note: "two words", nested: { a: [1, "x"] } }))).toBe(
      '14:03:07.412 INFO  api-server signed in  userId=7 route=/login note="two words" nested={a=[1,"x"]}',
    );
  });

  it("shows the error with its cause chain and the start of the trace id", () => {
    const line = prettyLine(
      entry(
        "job failed",
        {},
        {
          level: logLevelValues.ERROR,
          error: { type: "TypeError", message: "bad input", stack: "", causes: [{ type: "Error", message: "db down", stack: "", causes: [] }] },
          trace: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", parentSpanId: "", traceFlags: 1 },
        },
      ),
    );
    expect(line).toBe('14:03:07.412 ERROR api-server job failed  error="TypeError: bad input ← Error: db down" trace=4bf92f35');
  });

  it("keeps an entry on one line, cuts long values and counts fields past sixteen", () => {
    const data = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i === 0 ? "x".repeat(500) : i]));
    const line = prettyLine(entry("multi\nline", data));
    expect(line).not.toContain("\n");
    expect(line).toContain("multi\\nline");
    expect(line).toContain(`k0=${"x".repeat(119)}…`);
    expect(line).toContain("k15=15 …+4");
  });

  it("colours the level, service and keys only when asked", () => {
    expect(prettyLine(entry("m", { a: 1 }))).not.toContain("\u001b[");
    const coloured = prettyLine(entry("m", { a: 1 }), { colors: true });
    expect(coloured).toContain("\u001b[32mINFO \u001b[0m");
    expect(coloured).toContain("\u001b[36mapi-server\u001b[0m");
  });
});

describe("console output", () => {
  it("is coloured on a terminal unless NO_COLOR is set; FORCE_COLOR forces it", () => {
    expect(consoleColors({}, true)).toBe(true);
    expect(consoleColors({}, false)).toBe(false);
    expect(consoleColors({ NO_COLOR: "1" }, true)).toBe(false);
    expect(consoleColors({ NO_COLOR: "" }, true)).toBe(true);
    expect(consoleColors({ FORCE_COLOR: "1" }, false)).toBe(true);
    expect(consoleColors({ FORCE_COLOR: "1", NO_COLOR: "1" }, false)).toBe(false);
  });

  it("costs nothing when off: there is no printer", () => {
    expect(createConsolePrinter("off")).toBeUndefined();
  });

  it("prints json as the plain record, one line each", () => {
    const lines: string[] = [];
    createConsolePrinter("json", { write: (l) => void lines.push(l) })?.(entry("hi", { userId: 7 }));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith("\n")).toBe(true);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ message: "hi", userId: 7, level: "info", "service.name": "api-server" });
    expect(jsonLine(entry("hi", {}))).not.toContain("\n");
  });

  it("never throws from the printer", () => {
    const print = createConsolePrinter("pretty", {
      write: () => {
        throw new Error("stdout closed");
      },
    });
    expect(() => print?.(entry("hi", {}))).not.toThrow();
  });
});

describe("FdLineWriter", () => {
  it("writes lines in order, asynchronously, and what is left synchronously", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "fd-line-")), "out.txt");
    const fd = openSync(path, "w");
    const writer = new FdLineWriter(fd);
    for (let i = 0; i < 1000; i++) writer.push(`line ${i}\n`);
    expect(readFileSync(path, "utf8")).toBe(""); // nothing written on the caller's path
    await until(() => readFileSync(path, "utf8").split("\n").length === 1001, 5000);
    writer.push("last\n");
    writer.flushSync();
    const text = readFileSync(path, "utf8");
    closeSync(fd);
    expect(text.split("\n").slice(0, 3)).toEqual(["line 0", "line 1", "line 2"]);
    expect(text.endsWith("line 999\nlast\n")).toBe(true);
    expect(writer.dropped).toBe(0);
  });
});
