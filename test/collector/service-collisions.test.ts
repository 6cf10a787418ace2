// A service name several service types or machines send under (the deployment's SERVICE_NAME=emp-service
// everywhere) is shown by the status API as a collision with its distinct (type, machine) pairs.
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import type { CollectorStatus } from "../../runtime/collector/collector.js";
import { createFluentLogEncoder } from "../../runtime/encoding/fluent-log-encoder.js";
import { encodeOtlpLogs } from "../../runtime/encoding/otlp-log-encoder.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { createOtlpHttpTransport } from "../../runtime/transports/otlp/otlp-http-transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { getJson, nextRecords, startTestCollector, testService, validLogEntry } from "../helpers/collector-harness.js";

const cleanups = cleanupsAfterEach();

const shared = (type: c.ServiceType, machineId?: string) => ({ ...testService, name: "emp-service", type, ...(machineId === undefined ? {} : { machineId }) });

describe("the status API's service name collisions", () => {
  it("lists a name sent by several types or machines, with each distinct (type, machine) once, over every input", async () => {
    const collector = await startTestCollector(cleanups);
    const forward = createForwardTransport({ port: collector.ports.forward });
    const logs = createOtlpHttpTransport({ url: `http://127.0.0.1:${String(collector.ports.otlpHttp)}/v1/logs`, signal: "logs" });
    cleanups.push(
      () => forward.close(),
      () => logs.close(),
    );
    const arrived = nextRecords(collector, 6);
    const entries = [
      validLogEntry("api", {}, shared(c.ServiceType.API)),
      validLogEntry("webhook", {}, shared(c.ServiceType.WEBHOOK)),
      validLogEntry("api again", {}, shared(c.ServiceType.API)),
      validLogEntry("machine", {}, shared(c.ServiceType.MACHINE, "m-1")),
      validLogEntry("its own name", {}, { ...testService, name: "emp-billing" }),
    ];
    expect((await forward.send(createFluentLogEncoder("app")(entries))).status).toBe("ok");
    expect((await logs.send(encodeOtlpLogs([validLogEntry("machine 2", {}, shared(c.ServiceType.MACHINE, "m-2"))]))).status).toBe("ok");
    await arrived;
    const status = await getJson<CollectorStatus>(collector, "/api/status");
    expect(status.collisions).toEqual([
      {
        service: "emp-service",
        sources: [
          { type: "api", machine: "" },
          { type: "webhook", machine: "" },
          { type: "machine", machine: "m-1" },
          { type: "machine", machine: "m-2" },
        ],
      },
    ]);
  });

  it("lists none when each name has one type and machine", async () => {
    const collector = await startTestCollector(cleanups);
    const forward = createForwardTransport({ port: collector.ports.forward });
    cleanups.push(() => forward.close());
    const arrived = nextRecords(collector, 2);
    await forward.send(createFluentLogEncoder("app")([validLogEntry("a"), validLogEntry("b", {}, { ...testService, name: "other" })]));
    await arrived;
    expect((await getJson<CollectorStatus>(collector, "/api/status")).collisions).toEqual([]);
  });
});
