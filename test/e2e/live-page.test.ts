/**
 * The collector's live page in a real browser: headless Chromium (Debian's `chromium`, which
 * `npm test` installs as root: `pretest`, .ci/test-deps) driven by playwright-core opens `GET /` while the four example services run
 * against the collector, and the page shows them, a job's span, hop health and the contract
 * violation count, the legend, records per client sink over time, and the submitted job's trace
 * as a tree (spans nested by parent across the services, with durations) — then a bad record
 * arrives and the page shows its violation by its own one-second refresh, without a reload. Every
 * wait is on page content with a timeout; no sleeps. Leaves screenshots in `test-output/`:
 * `live-page-trace.png` (the trace view) and `live-page.png` (the whole page).
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServiceProcess, startExampleServices, stopServices } from "../../examples/run-services.js";
import { type Collector, startCollector } from "../../runtime/collector/collector.js";
import { MsgpackWriter } from "../../runtime/wire/msgpack-writer.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { ServiceType } from "../../generated/index.js";
import { createFluentLogEncoder } from "../../runtime/encoding/fluent-log-encoder.js";
import { ephemeralPorts, testService, validLogEntry } from "../helpers/collector-harness.js";
import { repoRoot } from "../helpers/run-command.js";

/** Debian's `chromium`, which `npm test` installs as root (`pretest`: .ci/test-deps); CHROMIUM_PATH names another. */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/**
 * The flags known to work on this machine's closed network: without the background-networking
 * ones Chromium's own connections are refused. Playwright gives every launch a fresh, empty
 * `--user-data-dir` of its own (and refuses one in `args`).
 */
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const demoServices = ["api-server", "webhook-service", "gpu-machine", "comfyui-worker"] as const;
/** How long one thing may take to show up on the page (it refreshes every second). */
const showsUpMs = 15_000;
const screenshotPath = join(repoRoot, "test-output", "live-page.png");
const traceScreenshotPath = join(repoRoot, "test-output", "live-page-trace.png");
/** The job's path through the services, as the trace view must nest it: [depth, service, span name]. */
const jobTree: readonly [number, string, string][] = [
  [0, "api-server", "POST /jobs"],
  [1, "comfyui-worker", "job.process"],
  [2, "api-server", "POST /results"],
  [3, "api-server", "webhook.notify"],
  [4, "webhook-service", "webhook.deliver"],
];

let collector: Collector | undefined;
let services: ServiceProcess[] = [];
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];

function service(name: string): Locator {
  return page.locator(`[data-testid="service"][data-service="${name}"]`);
}

async function textOf(locator: Locator): Promise<string> {
  return (await locator.textContent({ timeout: showsUpMs })) ?? "";
}

beforeAll(async () => {
  if (!existsSync(chromiumPath))
    throw new Error(`${chromiumPath} is missing: apt-get install -y --no-install-recommends chromium (npm test's pretest, .ci/test-deps, does as root)`);
  collector = await startCollector({ ...ephemeralPorts });
  services = await startExampleServices({ fluentdPort: collector.ports.forward, otlpHttpPort: collector.ports.otlpHttp });
  const api = services.find((s) => s.name === "api-server");
  if (api === undefined) throw new Error("the api-server did not start");
  const res = await fetch(`http://127.0.0.1:${api.port}/jobs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ prompt: "a lighthouse at dusk" }),
  });
  expect(res.status).toBe(202);
  await res.arrayBuffer();
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: 20_000 });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`http://127.0.0.1:${collector.ports.status}/`, { timeout: showsUpMs });
}, 50_000);

afterAll(async () => {
  await browser?.close();
  await stopServices(services);
  await collector?.close();
}, 20_000);

describe("the collector's live page in headless Chromium", () => {
  it("lists the four demo services as their records arrive", async () => {
    for (const name of demoServices) await service(name).waitFor({ timeout: showsUpMs });
    for (const name of demoServices) expect(await textOf(service(name).locator("h3"))).toMatch(new RegExp(`^${name} — [1-9]\\d* logs`));
  }, 60_000);

  it("shows the submitted job's trace: the worker's job.process span and the webhook's delivery in one trace", async () => {
    const span = service("comfyui-worker").locator('tr[data-testid="record"][data-signal="spans"]', { hasText: "job.process" }).first();
    const traceId = /job\.process\s+[\d.]+ ms\s+trace ([0-9a-f]{32})/.exec(await textOf(span))?.[1];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const delivery = service("webhook-service").locator('tr[data-testid="record"][data-signal="spans"]', { hasText: `trace ${traceId!}` });
    expect(await textOf(delivery.first())).toContain("webhook.deliver");
  }, 60_000);

  it("shows the job's trace as a tree: spans nested by parent across the services, in start order, with durations", async () => {
    const job = page.locator('tr[data-testid="trace"][data-job="job-1"]');
    await job.waitFor({ timeout: showsUpMs });
    const traceId = await job.getAttribute("data-trace-id");
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    await job.click();
    const view = page.locator(`[data-testid="trace-view"][data-trace-id="${traceId!}"]`);
    await view.locator('[data-testid="span"][data-name="webhook.deliver"]').waitFor({ timeout: showsUpMs });
    const spans = view.getByTestId("span");
    const rows = await spans.evaluateAll((els) =>
      els.map((e) => [Number(e.getAttribute("data-depth")), e.getAttribute("data-service"), e.getAttribute("data-name")]),
    );
    expect(rows).toEqual(jobTree);
    for (const span of await spans.all()) {
      expect(await span.getAttribute("data-orphan")).toBe("false");
      expect(Number(await span.getAttribute("data-duration-ms"))).toBeGreaterThanOrEqual(0);
      expect(await textOf(span)).toMatch(/\d+(\.\d+)? m?s$/);
    }
    // Nested: each child's bar starts inside its parent's track, indented one step further.
    const indents = await spans.evaluateAll((els) =>
      els.map((e) => Number.parseFloat((e.querySelector(".name") as unknown as { style: { paddingLeft: string } }).style.paddingLeft || "0")),
    );
    expect(indents).toEqual([...indents].sort((a, b) => a - b));
    expect(new Set(indents).size).toBe(jobTree.length);
    expect(await textOf(view.locator("h3"))).toMatch(/^trace [0-9a-f]{32} — 5 spans across api-server, comfyui-worker, webhook-service, /);
    // The worker's logs are shown under its span.
    expect(await view.getByTestId("span-log").filter({ hasText: "job" }).count()).toBeGreaterThan(0);
    // The same tree is in the API.
    const api = (await (await fetch(`http://127.0.0.1:${collector!.ports.status}/api/traces/${traceId!}`)).json()) as {
      rows: { depth: number; span: { service: string; name: string } }[];
    };
    expect(api.rows.map((r) => [r.depth, r.span.service, r.span.name])).toEqual(jobTree);
    expect((await fetch(`http://127.0.0.1:${collector!.ports.status}/api/traces/${"0".repeat(31)}1`)).status).toBe(404);
    await mkdir(join(repoRoot, "test-output"), { recursive: true });
    await view.screenshot({ path: traceScreenshotPath, timeout: showsUpMs });
  }, 60_000);

  it("shows records per client sink over the last minute, a line each, and a legend", async () => {
    for (const sink of ["fluentd (forward)", "otlp traces (HTTP)"]) {
      const row = page.locator(`tr[data-testid="sink"][data-sink="${sink}"]:not([data-total="0"])`);
      await row.waitFor({ timeout: showsUpMs });
      expect(Number(await row.getAttribute("data-last-minute"))).toBeGreaterThan(0);
      expect(await page.locator(`svg[data-testid="deliveries"] polyline[data-sink="${sink}"]`).count()).toBe(1);
    }
    expect(await page.locator('svg[data-testid="deliveries"] polyline').count()).toBe(await page.getByTestId("sink").count());
    const legend = await textOf(page.getByTestId("legend"));
    for (const term of ["Hops", "Deliveries", "Traces", "Contract", "client sink", "parent has not arrived"]) expect(legend).toContain(term);
    expect(legend).toMatch(/api-server, comfyui-worker, webhook-service/);
  }, 60_000);

  it("shows hop health: records on the forward and OTLP/HTTP inputs, no errors", async () => {
    for (const hop of ["forward", "otlpHttp"]) {
      const row = page.locator(`tr[data-testid="hop"][data-hop="${hop}"][data-errors="0"]:not([data-records="0"])`);
      await row.waitFor({ timeout: showsUpMs });
      expect(await textOf(row)).toMatch(new RegExp(`^${hop}${String(hop === "forward" ? collector!.ports.forward : collector!.ports.otlpHttp)}[1-9]`));
    }
  }, 60_000);

  it("shows zero contract violations for the demo services", async () => {
    const count = page.getByTestId("violation-count");
    await page.locator('[data-testid="violation-count"][data-count="0"]').waitFor({ timeout: showsUpMs });
    expect(await textOf(count)).toBe("0");
    expect(await page.getByTestId("violation").count()).toBe(0);
  }, 60_000);

  it("shows a service name shared by several service types or machines as a collision, with each (type, machine)", async () => {
    const transport = createForwardTransport({ host: "127.0.0.1", port: collector!.ports.forward });
    try {
      const shared = { ...testService, name: "emp-service" };
      const entries = [
        validLogEntry("from the api", {}, { ...shared, type: ServiceType.API }),
        validLogEntry("from the webhook service", {}, { ...shared, type: ServiceType.WEBHOOK }),
        validLogEntry("from a machine", {}, { ...shared, type: ServiceType.MACHINE, machineId: "gpu-7" }),
      ];
      expect((await transport.send(createFluentLogEncoder("app.shared")(entries))).status).toBe("ok");
    } finally {
      await transport.close();
    }
    const collision = page.locator('[data-testid="collision"][data-service="emp-service"][data-sources="3"]');
    await collision.waitFor({ timeout: showsUpMs });
    expect(await textOf(collision)).toMatch(/service\.name “emp-service” is shared by 3 sources: api, webhook, machine on gpu-7\./);
    expect(await page.getByTestId("collision").count()).toBe(1); // the demo services each have their own name
  }, 60_000);

  it("shows a bad record's violation by its live refresh, without a reload", async () => {
    await page.evaluate("window.__e2eDocument = 'the first one'");
    const rendersBefore = Number(await page.locator("body").getAttribute("data-renders"));
    const transport = createForwardTransport({ host: "127.0.0.1", port: collector!.ports.forward });
    try {
      const w = new MsgpackWriter();
      w.writeEntry(Math.floor(Date.now() / 1000), 0, { message: "no service here", level: "info" });
      const entries = w.toBytes();
      expect((await transport.send({ tag: "app.careless", body: entries, count: 1, bytes: entries.length })).status).toBe("ok");
    } finally {
      await transport.close();
    }

    await page.locator('[data-testid="violation-count"]:not([data-count="0"])').waitFor({ timeout: showsUpMs });
    expect(Number(await textOf(page.getByTestId("violation-count")))).toBeGreaterThan(0);
    const violation = page.getByTestId("violation").filter({ hasText: "unknown" }).first();
    expect(await textOf(violation)).toContain("forward");
    expect(await textOf(page.getByTestId("violation").filter({ hasText: "required" }).first())).toContain("`service.name` is missing");
    await service("unknown").locator('tr[data-testid="record"]', { hasText: "no service here" }).waitFor({ timeout: showsUpMs });
    expect(await page.evaluate("window.__e2eDocument")).toBe("the first one");
    expect(Number(await page.locator("body").getAttribute("data-renders"))).toBeGreaterThan(rendersBefore);
    expect(pageErrors).toEqual([]);

    await mkdir(join(repoRoot, "test-output"), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true, timeout: showsUpMs });
  }, 60_000);
});
