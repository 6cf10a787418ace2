/**
 * createPinoDestination with real pino loggers and a recording BridgeTarget: levels, message, data,
 * child bindings, serialized errors, lines split and joined across chunks, invalid and oversize lines.
 */
import { describe, expect, it } from "vitest";
import pino from "pino";
import { createPinoDestination, type PinoDestinationOptions } from "../../runtime/bridges/pino-destination.js";
import type { BridgeTarget } from "../../runtime/bridges/bridge-target.js";
import { RecordingTarget, throwingTarget, type BridgedRecord } from "./recording-target.js";

function recorded(
  pinoOptions: pino.LoggerOptions = {},
  options: PinoDestinationOptions = {},
): { logger: pino.Logger; target: RecordingTarget; destination: ReturnType<typeof createPinoDestination> } {
  const target = new RecordingTarget();
  const destination = createPinoDestination(target, options);
  return { logger: pino({ level: "trace", ...pinoOptions }, destination), target, destination };
}

/** A destination fed by hand, for chunking tests. */
function fed(options: PinoDestinationOptions = {}): { target: RecordingTarget; destination: ReturnType<typeof createPinoDestination> } {
  const target = new RecordingTarget();
  return { target, destination: createPinoDestination(target, options) };
}

/** Logs one record at a custom level `name` = `value` and returns what the target got. */
async function customLevelRecord(name: string, value: number): Promise<BridgedRecord> {
  const target = new RecordingTarget();
  const logger = pino({ customLevels: { [name]: value }, level: name }, createPinoDestination(target));
  const log = Reflect.get(logger, name) as (this: typeof logger, msg: string) => void;
  log.call(logger, "custom");
  return target.only();
}

describe("createPinoDestination levels", () => {
  it.each([
    ["trace", "debug"],
    ["debug", "debug"],
    ["info", "info"],
    ["warn", "warn"],
    ["error", "error"],
    ["fatal", "fatal"],
  ] as const)("maps pino's %s to %s", async (pinoLevel, bridgeLevel) => {
    const { logger, target } = recorded();
    logger[pinoLevel]("hello");
    expect(await target.only()).toEqual({ level: bridgeLevel, message: "hello", data: undefined, error: undefined });
  });

  it.each([
    ["verbose", 5, "debug"],
    ["detail", 15, "debug"],
    ["notice", 35, "info"],
    ["critical", 55, "error"],
    ["emergency", 70, "fatal"],
  ] as const)("maps the custom level %s (%i) like the nearest standard level below it, %s", async (name, value, bridgeLevel) => {
    expect((await customLevelRecord(name, value)).level).toBe(bridgeLevel);
  });

  it("keeps a custom level's number under pino.level", async () => {
    expect((await customLevelRecord("notice", 35)).data).toEqual({ "pino.level": 35 });
  });

  it("maps a level label written by formatters.level by name", async () => {
    const { logger, target } = recorded({ formatters: { level: (label) => ({ level: label }) } });
    logger.warn("labelled");
    expect(await target.only()).toEqual({ level: "warn", message: "labelled", data: undefined, error: undefined });
  });
});

describe("createPinoDestination message and data", () => {
  it("passes msg as the message and the other fields as data, without level, time, pid and hostname", async () => {
    const { logger, target } = recorded();
    logger.info({ orderId: 42, items: ["a", "b"] }, "order placed");
    expect(await target.only()).toEqual({ level: "info", message: "order placed", data: { orderId: 42, items: ["a", "b"] }, error: undefined });
  });

  it("passes an empty message when the record has none", async () => {
    const { logger, target } = recorded();
    logger.info({ only: "fields" });
    expect(await target.only()).toEqual({ level: "info", message: "", data: { only: "fields" }, error: undefined });
  });

  it("passes the logger's base fields other than pid and hostname as data", async () => {
    const { logger, target } = recorded({ base: { pid: 1, hostname: "h", service: "billing" } });
    logger.info("started");
    expect((await target.only()).data).toEqual({ service: "billing" });
  });

  it("includes child logger bindings in data", async () => {
    const { logger, target } = recorded();
    logger.child({ component: "db" }).info({ ms: 12 }, "connected");
    expect((await target.only()).data).toEqual({ component: "db", ms: 12 });
  });

  it("includes the bindings of nested child loggers", async () => {
    const { logger, target } = recorded();
    logger.child({ component: "db" }).child({ shard: 3 }).info("connected");
    expect((await target.only()).data).toEqual({ component: "db", shard: 3 });
  });

  it("reads the message from a custom messageKey", async () => {
    const { logger, target } = recorded({ messageKey: "message" }, { messageKey: "message" });
    logger.info({ a: 1 }, "custom key");
    expect(await target.only()).toEqual({ level: "info", message: "custom key", data: { a: 1 }, error: undefined });
  });

  it("keeps a __proto__ field as data without changing the prototype", async () => {
    const { destination, target } = fed();
    destination.write('{"level":30,"msg":"m","__proto__":{"polluted":true}}\n');
    const { data } = await target.only();
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(data, "__proto__")?.value).toEqual({ polluted: true });
  });
});

describe("createPinoDestination errors", () => {
  it("passes a logged Error as an Error with its type, message and stack", async () => {
    const err = new TypeError("bad input");
    const { logger, target } = recorded();
    logger.error(err);
    const record = await target.only();
    expect(record).toMatchObject({ level: "error", message: "bad input", data: undefined });
    expect(record.error).toBeInstanceOf(Error);
    expect(record.error).toMatchObject({ name: "TypeError", message: "bad input", stack: err.stack });
  });

  it("keeps the cause chain in the error's message and stack with pino's default serializer", async () => {
    const { logger, target } = recorded();
    logger.error(new Error("query failed", { cause: new Error("connection refused") }), "checkout");
    const { message, error } = await target.only();
    expect(message).toBe("checkout");
    expect(error).toMatchObject({ message: "query failed: connection refused" });
    expect((error as Error).stack).toMatch(/^Error: query failed\n[\s\S]*\ncaused by: Error: connection refused\n/);
  });

  it("rebuilds a serialized cause as the error's cause with errWithCause", async () => {
    const { logger, target } = recorded({ serializers: { err: pino.stdSerializers.errWithCause } });
    logger.error(new Error("query failed", { cause: new RangeError("connection refused") }));
    const { error } = await target.only();
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect((error as Error).cause).toMatchObject({ name: "RangeError", message: "connection refused" });
  });

  it("keeps an error's extra fields, such as code, on the error", async () => {
    const { logger, target } = recorded();
    logger.error(Object.assign(new Error("disk full"), { code: "ENOSPC" }));
    expect((await target.only()).error).toMatchObject({ message: "disk full", code: "ENOSPC" });
  });

  it("rebuilds an AggregateError with its errors", async () => {
    const { logger, target } = recorded();
    logger.error(new AggregateError([new Error("a"), new TypeError("b")], "both failed"));
    const { error } = await target.only();
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toMatchObject([{ message: "a" }, { name: "TypeError", message: "b" }]);
  });

  it("reads the error from a custom errorKey", async () => {
    const { logger, target } = recorded({ errorKey: "error" }, { errorKey: "error" });
    logger.error({ error: new Error("custom key") }, "failed");
    expect((await target.only()).error).toMatchObject({ message: "custom key" });
  });

  it("leaves a value under err that is not an error in data", async () => {
    const { logger, target } = recorded();
    logger.warn({ err: "just a string" }, "odd");
    expect(await target.only()).toEqual({ level: "warn", message: "odd", data: { err: "just a string" }, error: undefined });
  });
});

describe("createPinoDestination chunks", () => {
  const line = (msg: string): string => `{"level":30,"time":1,"msg":"${msg}"}\n`;

  it("writes every line of a chunk holding several", async () => {
    const { destination, target } = fed();
    destination.write(line("one") + line("two") + line("three"));
    expect((await target.waitFor(3)).map((r) => r.message)).toEqual(["one", "two", "three"]);
  });

  it("reassembles a line split across chunks", async () => {
    const { destination, target } = fed();
    const whole = line("one") + line("two");
    for (const piece of [whole.slice(0, 5), whole.slice(5, 30), whole.slice(30, 41), whole.slice(41)]) destination.write(piece);
    expect((await target.waitFor(2)).map((r) => r.message)).toEqual(["one", "two"]);
  });

  it("reassembles the output of a real pino logger written one character at a time", async () => {
    const { destination, target } = fed();
    const logger = pino(
      { level: "info" },
      {
        write: (s: string) => {
          for (const c of s) destination.write(c);
        },
      },
    );
    logger.child({ component: "x" }).info({ n: 1 }, "trickled");
    expect(await target.only()).toEqual({ level: "info", message: "trickled", data: { component: "x", n: 1 }, error: undefined });
  });

  it("keeps a multi-byte character split across byte chunks whole", async () => {
    const { destination, target } = fed();
    const bytes = Buffer.from(line("naïve ☃ 😀"));
    const cut = bytes.indexOf(Buffer.from("😀")) + 2;
    destination.write(bytes.subarray(0, cut));
    destination.write(bytes.subarray(cut));
    expect((await target.only()).message).toBe("naïve ☃ 😀");
  });

  it("accepts CRLF line endings", async () => {
    const { destination, target } = fed();
    destination.write('{"level":30,"msg":"crlf"}\r\n');
    expect((await target.only()).message).toBe("crlf");
  });

  it("writes a partial last line on end", async () => {
    const { destination, target } = fed();
    destination.write('{"level":40,"msg":"no newline"}');
    expect(target.records).toEqual([]);
    destination.end();
    expect(await target.only()).toMatchObject({ level: "warn", message: "no newline" });
  });

  it("writes an invalid JSON line at info with the raw line as the message", async () => {
    const { destination, target } = fed();
    destination.write("not json {\n");
    expect(await target.only()).toEqual({ level: "info", message: "not json {", data: undefined, error: undefined });
  });

  it("counts an invalid JSON line", () => {
    const { destination } = fed();
    destination.write(`not json {\n${line("ok")}`);
    expect(destination.counters).toMatchObject({ lines: 2, invalid: 1 });
  });

  it("treats a JSON line that is not an object as invalid", async () => {
    const { destination, target } = fed();
    destination.write("[1,2]\n");
    expect((await target.only()).message).toBe("[1,2]");
    expect(destination.counters.invalid).toBe(1);
  });

  it("skips blank lines without counting them", () => {
    const { destination, target } = fed();
    destination.write(`\n  \n${line("ok")}`);
    expect(target.records.map((r) => r.message)).toEqual(["ok"]);
    expect(destination.counters.lines).toBe(1);
  });

  it("drops a complete line longer than maxLineBytes and counts it", async () => {
    const { destination, target } = fed({ maxLineBytes: 64 });
    destination.write(line("x".repeat(100)) + line("short"));
    expect((await target.only()).message).toBe("short");
    expect(destination.counters).toMatchObject({ lines: 2, oversize: 1, invalid: 0 });
  });

  it("measures maxLineBytes in UTF-8 bytes, not characters", () => {
    const { destination, target } = fed({ maxLineBytes: 64 });
    destination.write(line("☃".repeat(20))); // 20 characters, 60 bytes of message
    expect(target.records).toEqual([]);
    expect(destination.counters.oversize).toBe(1);
  });

  it("drops a partial line once it exceeds maxLineBytes and resumes after its newline", async () => {
    const { destination, target } = fed({ maxLineBytes: 64 });
    destination.write(`{"level":30,"msg":"${"x".repeat(40)}`);
    destination.write("x".repeat(40));
    destination.write(`${"x".repeat(40)}"}\n${line("after")}`);
    expect((await target.only()).message).toBe("after");
    expect(destination.counters).toMatchObject({ lines: 2, oversize: 1, invalid: 0 });
  });

  it("reports the first oversize line to onDiagnostic", () => {
    const diagnostics: string[] = [];
    const { destination } = fed({ maxLineBytes: 16, onDiagnostic: (m) => diagnostics.push(m) });
    destination.write(line("x".repeat(20)) + line("y".repeat(20)));
    expect(diagnostics).toEqual(["[pino bridge] a line of at least 50 bytes exceeds maxLineBytes (16); dropped"]);
  });
});

describe("createPinoDestination as a pino destination", () => {
  it("is recognised in the one-argument form pino(destination)", async () => {
    const target = new RecordingTarget();
    pino(createPinoDestination(target)).info("one argument");
    expect((await target.only()).message).toBe("one argument");
  });
});

describe("createPinoDestination failures", () => {
  it("does not throw into the caller when the target throws", () => {
    const logger = pino(createPinoDestination(throwingTarget));
    expect(() => logger.error(new Error("still fine"))).not.toThrow();
  });

  it("counts target failures and reports the first to onDiagnostic", () => {
    const diagnostics: string[] = [];
    const destination = createPinoDestination(throwingTarget, { onDiagnostic: (m) => diagnostics.push(m) });
    const logger = pino(destination);
    logger.info("one");
    logger.info("two");
    expect(destination.counters).toMatchObject({ lines: 2, targetErrors: 2 });
    expect(diagnostics).toEqual(["[pino bridge] the target threw; record dropped: Error: target is down"]);
  });

  it("does not throw when given a chunk it cannot read, counting it", () => {
    const { destination } = fed();
    expect(destination.write(42 as unknown as string)).toBe(true);
    expect(destination.counters.internalErrors).toBe(1);
  });

  it("calls back at once when pino flushes", async () => {
    const { logger } = recorded();
    await new Promise<void>((resolve, reject) => logger.flush((err) => (err ? reject(err) : resolve())));
  });

  it("rejects a target without write at construction", () => {
    expect(() => createPinoDestination({} as BridgeTarget)).toThrow(expect.objectContaining({ code: "config_invalid" }));
  });

  it("rejects bad options in one error naming each", () => {
    const bad = { maxLineBytes: 0, errorKey: "", bufferSize: 1 } as unknown as PinoDestinationOptions;
    expect(() => createPinoDestination(new RecordingTarget(), bad)).toThrow(
      /invalid pino destination options: bufferSize="…" \(expected no such option; known: .*\); maxLineBytes=0 \(expected .*\); errorKey="" \(expected .*\)/,
    );
  });
});
