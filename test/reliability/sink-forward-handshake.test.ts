// The shared-key handshake through the whole sink: the right key delivers; a wrong key is refused,
// counted as rejected and reported plainly, without the key.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { createFluentLogEncoder } from "../../runtime/encoding/fluent-log-encoder.js";
import { createSink, type Sink } from "../../runtime/reliability/sink/sink.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { type ForwardReceiver, startForwardReceiver } from "../helpers/forward-receiver.js";
import { until } from "../helpers/until.js";

const entry = c.buildStandardLogEntry({
  timeUnixNano: 1764314558_000000000n,
  level: c.LogLevel.INFO,
  message: "handshake",
  service: { name: "gpu-machine", type: c.ServiceType.MACHINE, environment: "test", machineId: "m-1" },
});

let receiver: ForwardReceiver | undefined;
let sink: Sink<c.StandardLogEntry> | undefined;
afterEach(async () => {
  await sink?.shutdown(1000);
  await receiver?.close();
});

describe.each(["fluentd", "fluent-bit"] as const)("a sink on the forward transport, receiver answering as %s", (style) => {
  it("delivers with the right shared key", async () => {
    receiver = await startForwardReceiver({ sharedKey: "right-key-123", style });
    const s = createSink<c.StandardLogEntry>({
      transport: createForwardTransport({ host: "127.0.0.1", port: receiver.port, sharedKey: "right-key-123" }),
      encode: createFluentLogEncoder("app.machine"),
      flushIntervalMs: 0,
    });
    sink = s;
    s.enqueue(entry, 300);
    await until(() => s.health().delivered === 1, 5000);
    expect((await receiver.waitForFrames(1))[0]!.entries[0]![1].message).toBe("handshake");
  });

  it("counts a wrong key as rejected and says which variable to check, never the key", async () => {
    receiver = await startForwardReceiver({ sharedKey: "right-key-123", style });
    const s = createSink<c.StandardLogEntry>({
      transport: createForwardTransport({ host: "127.0.0.1", port: receiver.port, sharedKey: "wrong-key-456" }),
      encode: createFluentLogEncoder("app.machine"),
      flushIntervalMs: 0,
    });
    sink = s;
    s.enqueue(entry, 300);
    await until(() => s.health().droppedTotal === 1, 5000);
    const h = s.health();
    expect(h.dropped.rejected).toBe(1);
    expect(h.lastError?.message).toContain("FLUENTD_SHARED_KEY");
    expect(inspect(h, { depth: Infinity }) + JSON.stringify(h)).not.toContain("wrong-key-456");
    expect(receiver.frames).toHaveLength(0);
  });
});
