// Issue 13 item 10: every call is emitted and accounted. Hostile values (a revoked Proxy, a Proxy
// whose getPrototypeOf throws, an Error whose constructor getter throws, an AggregateError of 200k
// errors, a message whose toString throws) become entries with markers instead of internal errors
// that lose the entry uncounted.
import { afterAll, describe, expect, it } from "vitest";
import type { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import { freePorts } from "../helpers/daemons.js";
import { closedReceiverClient } from "./support/closed-receiver-client.js";

const [port] = (await freePorts(1)) as [number];
const client = closedReceiverClient(port);
afterAll(() => client.shutdown(100));

const thrower = (): never => {
  throw new Error("hostile");
};
const revoked = (): object => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
const noPrototype = (): object => new Proxy({}, { getPrototypeOf: thrower });
const hostileConstructor = (): Error => {
  const e = new Error("x");
  Object.defineProperty(e, "name", { value: "" });
  Object.defineProperty(e, "constructor", { get: thrower });
  return e;
};
const hostileMessage = (): Error => {
  const e = new Error("x");
  Object.defineProperty(e, "message", { value: { toString: thrower } });
  return e;
};

const calls: [string, (log: EmpTelemetryClient["log"]) => void][] = [
  ["a revoked Proxy as data", (log) => log.info("m", revoked())],
  ["a revoked Proxy as the error", (log) => log.error("m", revoked())],
  ["a revoked Proxy as the message", (log) => log.info(revoked() as unknown as string)],
  ["a Proxy whose getPrototypeOf throws as data", (log) => log.info("m", noPrototype())],
  ["a Proxy whose getPrototypeOf throws under err", (log) => log.error("m", { err: noPrototype() })],
  ["an Error whose constructor getter throws", (log) => log.error("m", hostileConstructor())],
  ["an Error whose message's toString throws", (log) => log.error("m", hostileMessage())],
  ["an Error caused by a revoked Proxy", (log) => log.error("m", new Error("x", { cause: revoked() }))],
  [
    "an AggregateError of 200k errors",
    (log) =>
      log.error(
        "m",
        new AggregateError(
          Array.from({ length: 200_000 }, () => new Error("x")),
          "many",
        ),
      ),
  ],
  ["a message whose toString throws", (log) => log.info({ toString: thrower } as unknown as string)],
  ["a child logger's write with a revoked Proxy", (log) => log.child({ a: 1 }).info("m", revoked())],
];

describe("every call is emitted and accounted, whatever it is given", () => {
  for (const [name, call] of calls) {
    it(name, () => {
      const before = client.health();
      call(client.log);
      const after = client.health();
      expect(after.log.internalErrors).toBe(before.log.internalErrors);
      expect(after.log.written).toBe(before.log.written + 1);
      expect(after.totals.emitted).toBe(before.totals.emitted + 1);
    });
  }
});
