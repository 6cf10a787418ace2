/**
 * createWinstonTransport with real winston loggers and a recording BridgeTarget: levels, message,
 * meta, child bindings, errors (alone, as an argument, in a field, through format.errors), failures.
 */
import { afterEach, describe, expect, it } from "vitest";
import winston from "winston";
import { createWinstonTransport, type WinstonTransportOptions } from "../../runtime/bridges/winston-transport.js";
import type { BridgeTarget } from "../../runtime/bridges/bridge-target.js";
import { RecordingTarget, throwingTarget } from "./recording-target.js";

const loggers: winston.Logger[] = [];
afterEach(() => {
  for (const logger of loggers.splice(0)) logger.close();
});

function setup(
  options: WinstonTransportOptions = {},
  loggerOptions: winston.LoggerOptions = {},
  target: BridgeTarget = new RecordingTarget(),
): { logger: winston.Logger; transport: ReturnType<typeof createWinstonTransport> } {
  const transport = createWinstonTransport(target, options);
  const logger = winston.createLogger({ level: "silly", ...loggerOptions, transports: [transport] });
  loggers.push(logger);
  return { logger, transport };
}

function recorded(options: WinstonTransportOptions = {}, loggerOptions: winston.LoggerOptions = {}): { logger: winston.Logger; target: RecordingTarget } {
  const target = new RecordingTarget();
  return { logger: setup(options, loggerOptions, target).logger, target };
}

describe("createWinstonTransport levels", () => {
  it.each([
    ["error", "error"],
    ["warn", "warn"],
    ["info", "info"],
    ["http", "info"],
    ["verbose", "debug"],
    ["debug", "debug"],
    ["silly", "debug"],
  ] as const)("maps the npm level %s to %s", async (winstonLevel, bridgeLevel) => {
    const { logger, target } = recorded();
    logger.log(winstonLevel, "hello");
    expect((await target.only()).level).toBe(bridgeLevel);
  });

  it.each([
    ["emerg", "fatal"],
    ["alert", "fatal"],
    ["crit", "fatal"],
    ["error", "error"],
    ["warning", "warn"],
    ["notice", "info"],
    ["info", "info"],
    ["debug", "debug"],
  ] as const)("maps the syslog level %s to %s", async (winstonLevel, bridgeLevel) => {
    const { logger, target } = recorded({}, { levels: winston.config.syslog.levels, level: "debug" });
    logger.log(winstonLevel, "hello");
    expect((await target.only()).level).toBe(bridgeLevel);
  });

  it("writes an unknown level at info with its name under winston.level", async () => {
    const { logger, target } = recorded({}, { levels: { audit: 0, info: 1 }, level: "info" });
    logger.log("audit", "user deleted", { userId: 7 });
    expect(await target.only()).toEqual({ level: "info", message: "user deleted", data: { userId: 7, "winston.level": "audit" }, error: undefined });
  });

  it("counts an unknown level and reports it once to onDiagnostic", async () => {
    const diagnostics: string[] = [];
    const target = new RecordingTarget();
    const { logger, transport } = setup({ onDiagnostic: (m) => diagnostics.push(m) }, { levels: { audit: 0, info: 1 }, level: "info" }, target);
    logger.log("audit", "one");
    logger.log("audit", "two");
    await target.waitFor(2);
    expect(transport.counters.unknownLevels).toBe(2);
    expect(diagnostics).toEqual(['[winston bridge] level "audit" has no mapping; written at info (map it with the levels option)']);
  });

  it("maps a custom level through the levels option", async () => {
    const { logger, target } = recorded({ levels: { audit: "warn" } }, { levels: { audit: 0, info: 1 }, level: "info" });
    logger.log("audit", "user deleted");
    expect(await target.only()).toEqual({ level: "warn", message: "user deleted", data: undefined, error: undefined });
  });

  it("reads the level winston logged, not the one format.colorize rewrote", async () => {
    const { logger, target } = recorded({}, { format: winston.format.combine(winston.format.colorize(), winston.format.simple()) });
    logger.warn("careful");
    expect(await target.only()).toEqual({ level: "warn", message: "careful", data: undefined, error: undefined });
  });
});

describe("createWinstonTransport message and data", () => {
  it("passes the message and the meta fields as data", async () => {
    const { logger, target } = recorded();
    logger.info("order placed", { orderId: 42, items: ["a", "b"] });
    expect(await target.only()).toEqual({ level: "info", message: "order placed", data: { orderId: 42, items: ["a", "b"] }, error: undefined });
  });

  it("passes no data for a record without meta", async () => {
    const { logger, target } = recorded();
    logger.info("plain");
    expect((await target.only()).data).toBeUndefined();
  });

  it("passes a JSON-literal record's fields as data", async () => {
    const { logger, target } = recorded();
    logger.log({ level: "info", message: "literal", requestId: "r-1" });
    expect(await target.only()).toEqual({ level: "info", message: "literal", data: { requestId: "r-1" }, error: undefined });
  });

  it("includes the logger's defaultMeta in data", async () => {
    const { logger, target } = recorded({}, { defaultMeta: { service: "billing" } });
    logger.info("started", { port: 8080 });
    expect((await target.only()).data).toEqual({ service: "billing", port: 8080 });
  });

  it("includes child logger bindings in data", async () => {
    const { logger, target } = recorded();
    logger.child({ component: "db" }).child({ shard: 3 }).info("connected", { ms: 12 });
    expect((await target.only()).data).toEqual({ component: "db", shard: 3, ms: 12 });
  });

  it("stringifies an object message as JSON", async () => {
    const { logger, target } = recorded();
    logger.log({ level: "info", message: { a: 1 } as unknown as string });
    expect((await target.only()).message).toBe('{"a":1}');
  });

  it("stringifies a circular message without throwing", async () => {
    const circular: Record<string, unknown> = { name: "loop" };
    circular.self = circular;
    const { logger, target } = recorded();
    logger.log({ level: "info", message: circular as unknown as string });
    expect((await target.only()).message).toBe("<ref *1> { name: 'loop', self: [Circular *1] }");
  });

  it("passes an empty message when the record has none", async () => {
    const { logger, target } = recorded();
    logger.log({ level: "info", only: "fields" } as unknown as winston.LogEntry);
    expect(await target.only()).toEqual({ level: "info", message: "", data: { only: "fields" }, error: undefined });
  });
});

describe("createWinstonTransport errors", () => {
  it("passes an Error logged alone as the error with its stack and message", async () => {
    const err = new TypeError("bad input");
    const { logger, target } = recorded();
    logger.error(err);
    const record = await target.only();
    expect(record).toMatchObject({ level: "error", message: "bad input", data: undefined });
    expect(record.error).toBe(err);
    expect((record.error as Error).stack).toContain("TypeError: bad input");
  });

  it("keeps the cause of an Error logged alone", async () => {
    const root = new Error("connection refused");
    const { logger, target } = recorded();
    logger.error(new Error("query failed", { cause: root }));
    expect(((await target.only()).error as Error).cause).toBe(root);
  });

  it("keeps an Error's own fields, such as code, as data", async () => {
    const { logger, target } = recorded();
    logger.error(Object.assign(new Error("disk full"), { code: "ENOSPC" }));
    expect((await target.only()).data).toEqual({ code: "ENOSPC" });
  });

  it("passes an Error given after the message as the error, without copying its stack and cause into data", async () => {
    const err = new Error("timeout", { cause: new Error("socket hang up") });
    const { logger, target } = recorded();
    logger.warn("retrying", err);
    const record = await target.only();
    expect(record).toMatchObject({ level: "warn", message: "retrying timeout", data: undefined });
    expect(record.error).toBe(err);
  });

  it("passes an Error in a meta field as the error and leaves it out of data", async () => {
    const err = new Error("nope");
    const { logger, target } = recorded();
    logger.error("payment failed", { err, orderId: 9 });
    expect(await target.only()).toEqual({ level: "error", message: "payment failed", data: { orderId: 9 }, error: err });
  });

  it("passes an Error logged as the message as the error", async () => {
    const err = new RangeError("out of range");
    const { logger, target } = recorded();
    logger.log({ level: "error", message: err as unknown as string });
    const record = await target.only();
    expect(record).toMatchObject({ level: "error", message: "out of range" });
    expect(record.error).toBe(err);
  });

  it("rebuilds the Error that format.errors flattened, with its type, stack and cause", async () => {
    const err = new TypeError("bad input", { cause: new Error("parse error") });
    const { logger, target } = recorded({}, { format: winston.format.combine(winston.format.errors({ stack: true, cause: true }), winston.format.json()) });
    logger.error(err);
    const record = await target.only();
    expect(record).toMatchObject({ level: "error", message: "bad input", data: undefined });
    expect(record.error).toBeInstanceOf(Error);
    expect(record.error).toMatchObject({ name: "TypeError", message: "bad input", stack: err.stack, cause: err.cause });
  });

  it("rebuilds the Error logged on a child logger, with its stack and cause, keeping the bindings", async () => {
    const err = new Error("child failed", { cause: new Error("root") });
    const { logger, target } = recorded();
    logger.child({ component: "worker" }).error(err);
    const record = await target.only();
    expect(record).toMatchObject({ level: "error", message: "child failed", data: { component: "worker" } });
    expect(record.error).toMatchObject({ name: "Error", message: "child failed", stack: err.stack, cause: err.cause });
  });
});

describe("createWinstonTransport failures", () => {
  it("does not throw into the caller when the target throws", () => {
    const { logger } = setup({}, {}, throwingTarget);
    expect(() => logger.error("still fine", { a: 1 })).not.toThrow();
  });

  it("keeps delivering records after the target throws", async () => {
    const target = new RecordingTarget();
    let calls = 0;
    const flaky: BridgeTarget = {
      write(...args) {
        if (calls++ === 0) throw new Error("first write fails");
        target.write(...args);
      },
    };
    const { logger } = setup({}, {}, flaky);
    logger.info("lost");
    logger.info("delivered");
    expect((await target.only()).message).toBe("delivered");
  });

  it("calls winston's callback when the target throws", () => {
    const transport = createWinstonTransport(throwingTarget);
    let called = 0;
    transport.log({ level: "info", message: "x", [Symbol.for("level")]: "info" }, () => called++);
    expect(called).toBe(1);
  });

  it("counts target failures and reports the first to onDiagnostic", () => {
    const diagnostics: string[] = [];
    const { logger, transport } = setup({ onDiagnostic: (m) => diagnostics.push(m) }, {}, throwingTarget);
    logger.info("one");
    logger.info("two");
    expect(transport.counters).toMatchObject({ records: 2, targetErrors: 2 });
    expect(diagnostics).toEqual(["[winston bridge] the target threw; record dropped: Error: target is down"]);
  });

  it("survives a diagnostics listener that throws, counting it", () => {
    const { logger, transport } = setup(
      {
        onDiagnostic: () => {
          throw new Error("listener broke");
        },
      },
      {},
      throwingTarget,
    );
    expect(() => logger.info("x")).not.toThrow();
    expect(transport.counters.internalErrors).toBe(1);
  });

  it("rejects a target without write at construction", () => {
    expect(() => createWinstonTransport({} as BridgeTarget)).toThrow(expect.objectContaining({ code: "config_invalid" }));
  });

  it("rejects unknown options and bad level mappings in one error", () => {
    const bad = { levels: { audit: "loud" }, colour: true } as unknown as WinstonTransportOptions;
    const expected = new RegExp(
      [
        String.raw`invalid winston transport options: colour="…" \(expected no such option; known: .*\); `,
        String.raw`levels\.audit="loud" \(expected one of "debug", "info", "warn", "error", "fatal"\)`,
      ].join(""),
    );
    expect(() => createWinstonTransport(new RecordingTarget(), bad)).toThrow(expected);
  });
});
