// Secrets in log data never leave the client: redacted before any sink (Fluentd forward, OTLP logs, a
// file), counted in health(); beforeSend changes or drops entries, drops counted as `filtered`.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { deliveryIdentityHolds } from "../../runtime/reliability/delivery-accounting.js";
import { type Harness, startHarness } from "../helpers/client-harness.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("run-time redaction", () => {
  it("redacts default keys in data and child bindings on every sink, counted in health()", async () => {
    const h = await startHarness({ serviceName: "redaction", serviceType: "api", redact: ["user.ssn"] });
    harness = h;
    const file = join(mkdtempSync(join(tmpdir(), "redaction-")), "app.log");
    h.client.log.addFile(file);
    const child = h.client.log.child({ apiKey: "k-123", component: "auth" });
    child.info("login", { password: "hunter2", user: { name: "ann", ssn: "123-45-6789" }, headers: { Cookie: "sid=1" } });
    const [fluent] = await h.fluentRecords();
    expect(fluent).toMatchObject({ apiKey: "[redacted]", component: "auth", password: "[redacted]", user: { name: "ann", ssn: "[redacted]" } });
    expect(fluent?.headers).toEqual({ Cookie: "[redacted]" });
    const [otlp] = await h.otlpLogs();
    expect(otlp?.attributes).toMatchObject({ apiKey: "[redacted]", password: "[redacted]" });
    await h.client.flush(5000);
    const line = readFileSync(file, "utf8");
    expect(line).toContain('"password":"[redacted]"');
    for (const secret of ["hunter2", "k-123", "123-45-6789", "sid=1"]) {
      expect(JSON.stringify(fluent)).not.toContain(secret);
      expect(JSON.stringify(otlp)).not.toContain(secret);
      expect(line).not.toContain(secret);
    }
    expect(h.client.health().redactions).toBe(4);
  });

  it("redacts secret keys of span and event attributes too", async () => {
    const h = await startHarness({ serviceName: "redaction", serviceType: "api" });
    harness = h;
    await h.client.trace.span("GET /login", async () => h.client.trace.event("auth", { token: "t-1", user: "ann" }), {
      attributes: { "http.request.header.authorization": "Bearer b-2", "http.route": "/login" },
    });
    const [span] = await h.spans();
    expect(span?.attributes).toMatchObject({ "http.request.header.authorization": "[redacted]", "http.route": "/login" });
    expect(span?.events[0]?.attributes).toEqual({ token: "[redacted]", user: "ann" });
    expect(JSON.stringify([span?.attributes, span?.events])).not.toMatch(/t-1|b-2/);
  });

  it("lets beforeSend change an entry", async () => {
    const h = await startHarness({
      serviceName: "before-send",
      serviceType: "api",
      otlp: { traces: false },
      beforeSend: (record) => ({ ...record, message: record.message.replace(/\d{4}-\d{4}/, "****") }),
    });
    harness = h;
    h.client.log.info("card 1234-5678 declined");
    const [record] = await h.fluentRecords();
    expect(record?.message).toBe("card **** declined");
  });

  it("counts entries beforeSend drops, or throws on, as filtered in every sink", async () => {
    const h = await startHarness({
      serviceName: "before-send",
      serviceType: "api",
      beforeSend: (record) => {
        if (record.message === "boom") throw new Error("hook bug");
        return record.message === "health check" ? null : record;
      },
    });
    harness = h;
    h.client.log.info("health check");
    h.client.log.info("boom");
    h.client.log.info("kept");
    const records = await h.fluentRecords();
    expect(records.map((r) => r.message)).toEqual(["kept"]);
    const health = h.client.health();
    expect(health.log).toMatchObject({ written: 1, filtered: 2, beforeSendErrors: 1 });
    const logSinks = health.sinks.filter((sink) => sink.target !== "otlp-traces" && sink.target !== "otlp-metrics");
    expect(logSinks.map((sink) => sink.target)).toEqual(["forward", "otlp-logs"]);
    for (const sink of logSinks) {
      expect(sink.dropped.filtered).toBe(2);
      expect(deliveryIdentityHolds(sink)).toBe(true);
    }
  });
});
