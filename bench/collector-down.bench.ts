// Memory while the collector is down: records logged to a Fluentd port where nothing listens.
// fluent-logger 3.4.1 and @fluent-org/logger queue without bound; our client keeps a byte-bounded
// queue and counts every record it has to drop. Each contender runs in its own child process (this
// file with an argument), so heaps do not mix; heap is measured after a forced GC.
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const self = fileURLToPath(import.meta.url);
const record = { message: "Server started", port: 3001, "emp.job.id": "job-42", ok: true, route: "/jobs" };

async function deadPort(): Promise<number> {
  // A port that was free a moment ago: connections are refused.
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function child(kind: string, n: number, port: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  // Load the library before the baseline: what is measured is the records, not the code.
  const { EmpTelemetryClient } = await import("../runtime/index.js");
  const { FluentClient } = await import("@fluent-org/logger");
  const fluentLogger = (await import("fluent-logger")).default;
  gc();
  const before = process.memoryUsage();
  let extra = "";
  if (kind === "emp") {
    const client = new EmpTelemetryClient({
      env: {},
      serviceName: "api-server",
      serviceType: "api",
      environment: "bench",
      fluentd: { host: "127.0.0.1", port },
      otlp: { traces: false },
      handleExitSignals: false,
      registerGlobal: false,
    });
    for (let i = 0; i < n; i++) client.log.info(record.message, record);
    await new Promise((r) => setTimeout(r, 500));
    const h = client.health();
    const s = h.sinks[0]!;
    extra = `budget ${(s.maxQueueBytes / 1048576).toFixed(0)} MiB; queued ${s.queued}, dropped ${s.droppedTotal} (${Object.entries(s.dropped)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}), identity ${s.emitted === s.delivered + s.droppedTotal + s.queued + s.inFlight ? "holds" : "BROKEN"}`;
  } else if (kind === "fluent-org") {
    const c = new FluentClient("bench", { socket: { host: "127.0.0.1", port, reconnect: { backoff: 2, delay: 500 } }, eventMode: "PackedForward", ack: {} });
    for (let i = 0; i < n; i++) void c.emit("x", { ...record }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    extra = "unbounded, drops not counted";
  } else {
    const sender = fluentLogger.createFluentSender("bench", { host: "127.0.0.1", port, reconnectInterval: 600_000 });
    (sender as unknown as { on(event: string, f: () => void): void }).on("error", () => undefined);
    for (let i = 0; i < n; i++) sender.emit("x", { ...record });
    await new Promise((r) => setTimeout(r, 500));
    extra = "unbounded, drops not counted";
  }
  gc();
  const after = process.memoryUsage();
  process.stdout.write(
    `@@RESULT@@${JSON.stringify({ heapMb: (after.heapUsed - before.heapUsed) / 1048576, rssMb: (after.rss - before.rss) / 1048576, extra })}`,
  );
  process.exit(0);
}

if (process.argv[2] !== undefined) {
  await child(process.argv[2], Number(process.argv[3]), Number(process.argv[4]));
} else {
  const port = await deadPort();
  const rows: string[] = [];
  for (const [kind, label, n] of [
    ["fluent-logger", "fluent-logger 3.4.1", 100_000],
    ["fluent-org", "@fluent-org/logger 1.0.10 (ack)", 100_000],
    ["emp", "@emp/telemetry client", 100_000],
    ["emp", "@emp/telemetry client", 1_000_000],
  ] as const) {
    const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", self, kind, String(n), String(port)], {
      encoding: "utf8",
      maxBuffer: 1 << 20,
      timeout: 300_000,
    });
    const r = JSON.parse(out.slice(out.indexOf("@@RESULT@@") + 10)) as { heapMb: number; rssMb: number; extra: string };
    rows.push(`| ${label} | ${n.toLocaleString("en-US")} | ${r.heapMb.toFixed(1)} | ${r.rssMb.toFixed(1)} | ${r.extra} |`);
  }
  const text = [
    "## Collector down: memory after logging N records to a refused Fluentd port",
    "",
    `Node ${process.version}; each contender in its own process; heap after a forced GC.`,
    "",
    "| contender | records | heap growth MB | RSS growth MB | notes |",
    "| --- | ---: | ---: | ---: | --- |",
    ...rows,
    "",
  ].join("\n");
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const { dirname, join } = await import("node:path");
  const dir = join(dirname(self), "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "collector-down.md"), text);
  process.stdout.write(`${text}\n`);
}
