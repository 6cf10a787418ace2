// A transport loaded on its first send: loaded once, closed only if loaded, a failed load is a failed send.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createLazyTransport } from "../../runtime/transports/lazy-transport.js";
import type { EncodedBatch, SendResult, Transport } from "../../runtime/transports/transport.js";

const batch: EncodedBatch = { body: new Uint8Array([1]), count: 1, bytes: 1 };

function recording(): Transport & { sent: EncodedBatch[]; closed: number } {
  return {
    name: "inner",
    sent: [],
    closed: 0,
    send(b) {
      this.sent.push(b);
      return Promise.resolve<SendResult>({ status: "ok" });
    },
    close() {
      this.closed++;
      return Promise.resolve();
    },
  };
}

describe("createLazyTransport", () => {
  it("loads the transport on the first send, once, and passes every send on", async () => {
    const inner = recording();
    let loads = 0;
    const lazy = createLazyTransport("forward", () => {
      loads++;
      return Promise.resolve(inner);
    });
    expect(loads).toBe(0);
    expect(inspect(lazy)).toBe('LazyTransport { name: "forward", loaded: false }');
    const results = await Promise.all([lazy.send(batch), lazy.send(batch)]);
    expect(results).toEqual([{ status: "ok" }, { status: "ok" }]);
    expect(loads).toBe(1);
    expect(inner.sent).toHaveLength(2);
    expect(JSON.stringify(lazy)).toBe('{"name":"forward","loaded":true}');
    await lazy.close();
    expect(inner.closed).toBe(1);
    expect(await lazy.send(batch)).toMatchObject({ status: "failed", error: { code: "shutdown" } });
  });

  it("never loads a transport that is closed before it sent anything", async () => {
    let loads = 0;
    const lazy = createLazyTransport("otlp-http", () => {
      loads++;
      return Promise.resolve(recording());
    });
    await lazy.close();
    expect(loads).toBe(0);
  });

  it("turns a failed load into failed sends (internal, with the reason), never a rejection", async () => {
    const lazy = createLazyTransport("file", () => Promise.reject(new Error("module not found")));
    const result = await lazy.send(batch);
    expect(result).toMatchObject({ status: "failed", error: { code: "internal", message: "cannot load the file transport: module not found" } });
    await expect(lazy.close()).resolves.toBeUndefined();
  });
});
