// Log entries on the forward wire: decoded by @msgpack/msgpack, an independent decoder.
import { decodeMulti } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { createFluentLogEncoder } from "../../runtime/encoding/fluent-log-encoder.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { eventTimeOf, startForwardReceiver } from "../helpers/forward-receiver.js";

const entry = (i: number): c.StandardLogEntry =>
  c.buildStandardLogEntry({
    timeUnixNano: 1764314558_000000000n + BigInt(i) * 1_000_000_001n,
    level: c.LogLevel.INFO,
    message: `entry ${i}`,
    service: { name: "api-server", type: c.ServiceType.API, environment: "test" },
    data: c.mapValueFromPlain({ "emp.job.id": `job-${i}` }).fields,
  });

describe("createFluentLogEncoder", () => {
  it("writes [EventTime, record] pairs with the entry's nanoseconds and the contract's keys", () => {
    const batch = createFluentLogEncoder("app.api")([entry(0), entry(1), entry(2)]);
    expect(batch).toMatchObject({ tag: "app.api", count: 3 });
    expect(batch.bytes).toBe(batch.body.length);
    const decoded = [...decodeMulti(batch.body)] as [unknown, Record<string, unknown>][];
    expect(decoded.map(([t]) => eventTimeOf(t))).toEqual([
      [1764314558, 0],
      [1764314559, 1],
      [1764314560, 2],
    ]);
    expect(decoded[1]![1]).toMatchObject({
      message: "entry 1",
      level: "info",
      "service.name": "api-server",
      "emp.job.id": "job-1",
      timestamp: "2025-11-28T07:22:39.000000001Z",
      "emp.contract.version": c.CONTRACT_VERSION,
    });
  });

  it("produces batches the forward transport delivers with ack", async () => {
    const receiver = await startForwardReceiver();
    const transport = createForwardTransport({ host: "127.0.0.1", port: receiver.port });
    try {
      const result = await transport.send(createFluentLogEncoder("app.api")([entry(7)]));
      expect(result.status).toBe("ok");
      const [frame] = await receiver.waitForFrames(1);
      expect(frame!.mode).toBe("PackedForward");
      expect(frame!.entries[0]![1].message).toBe("entry 7");
    } finally {
      await transport.close();
      await receiver.close();
    }
  });
});
