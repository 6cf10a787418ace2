/**
 * The real pipeline for Fluent Bit config tests: NDJSON log lines (our contract records) → the real
 * Fluent Bit 4.2.8 → the real Fluentd 1.18 (forward with shared key, forward over TLS, `in_http`
 * with its default time rule and with a nanosecond `<parse>`) → `out_file` JSON lines, read back
 * by polling with deadlines. 127.0.0.1 only.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import * as c from "../../generated/index.js";
import { afterAll, beforeAll } from "vitest";
import { freePorts, repoRoot, startDaemon, tempDir, toolsDir, waitForPort, type Daemon } from "./daemons.js";
import { selfSignedCertificate } from "./self-signed.js";

/** A record as Fluentd's `out_file` wrote it: the record plus `fluentd_tag` and `fluentd_time` (RFC 3339, ns). */
export type WrittenRecord = Record<string, unknown> & { fluentd_tag: string; fluentd_time: string };

/** A running Fluentd with every input the tests need, writing all records to `outDir`. */
export interface FluentdSink {
  readonly daemon: Daemon;
  /** `in_forward` with `<security> shared_key`. */
  readonly forwardPort: number;
  /** `in_forward` over TLS (self-signed cert for 127.0.0.1, PEM at `caFile`) with the shared key. */
  readonly tlsPort: number;
  /** `in_http` with its default time rule (record `time`, float seconds). */
  readonly httpPort: number;
  /** `in_http` with `<parse>` taking the event time from `timestamp` with nanoseconds. */
  readonly httpNanosPort: number;
  readonly caFile: string;
  /** Every record written so far (lines still being written are skipped). */
  records(): WrittenRecord[];
  /** Polls {@link records} every 100 ms until `done(records)` or `timeoutMs`; returns the last read. */
  waitFor(done: (records: WrittenRecord[]) => boolean, timeoutMs?: number): Promise<WrittenRecord[]>;
  stop(): Promise<void>;
}

/** Starts Fluentd in `dir` (config, certs, `out/`), waiting up to 40 s for its ports. */
export async function startFluentdSink(dir: string, sharedKey: string): Promise<FluentdSink> {
  const outDir = path.join(dir, "out");
  mkdirSync(outDir, { recursive: true });
  const [forwardPort, tlsPort, httpPort, httpNanosPort] = (await freePorts(4)) as [number, number, number, number];
  const pem = selfSignedCertificate();
  const caFile = path.join(dir, "cert.pem");
  writeFileSync(caFile, pem.cert);
  writeFileSync(path.join(dir, "key.pem"), pem.key);
  const config = path.join(dir, "fluent.conf");
  writeFileSync(
    config,
    `
<system>
  log_level info
</system>
<source>
  @type forward
  bind 127.0.0.1
  port ${forwardPort}
  <security>
    self_hostname fluentd-test
    shared_key ${sharedKey}
  </security>
</source>
<source>
  @type forward
  bind 127.0.0.1
  port ${tlsPort}
  <transport tls>
    cert_path ${caFile}
    private_key_path ${path.join(dir, "key.pem")}
  </transport>
  <security>
    self_hostname fluentd-test
    shared_key ${sharedKey}
  </security>
</source>
<source>
  @type http
  bind 127.0.0.1
  port ${httpPort}
</source>
<source>
  @type http
  bind 127.0.0.1
  port ${httpNanosPort}
  add_tag_prefix nanos
  <parse>
    @type in_http
    time_key timestamp
    keep_time_key true
    time_type string
    time_format %Y-%m-%dT%H:%M:%S.%N%z
  </parse>
</source>
<match app.** nanos.**>
  @type file
  path ${path.join(outDir, "records")}
  append true
  <inject>
    tag_key fluentd_tag
    time_key fluentd_time
    time_type string
    time_format %Y-%m-%dT%H:%M:%S.%NZ
    utc true
  </inject>
  <format>
    @type json
  </format>
  <buffer>
    @type memory
    flush_mode immediate
  </buffer>
</match>
`,
  );
  const daemon = startDaemon(path.join(toolsDir, "fluentd/run"), ["-c", config], path.join(dir, "fluentd.log"));
  for (const port of [forwardPort, tlsPort, httpPort, httpNanosPort]) await waitForPort(port, daemon, 40000);
  const records = (): WrittenRecord[] => {
    if (!existsSync(outDir)) return [];
    const out: WrittenRecord[] = [];
    for (const f of readdirSync(outDir)) {
      for (const line of readFileSync(path.join(outDir, f), "utf8").split("\n")) {
        if (line.trim() === "") continue;
        try {
          out.push(JSON.parse(line) as WrittenRecord);
        } catch {
          // A line still being written; the next poll reads it whole.
        }
      }
    }
    return out;
  };
  return {
    daemon,
    forwardPort,
    tlsPort,
    httpPort,
    httpNanosPort,
    caFile,
    records,
    async waitFor(done, timeoutMs = 15000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const now = records();
        if (done(now) || Date.now() > deadline) return now;
        await delay(100);
      }
    },
    stop: () => daemon.stop(),
  };
}

/** A Fluent Bit process (not a process group: SIGHUP / SIGKILL go to the binary itself). */
export interface FluentBitProcess {
  readonly pid: number;
  readonly logPath: string;
  log(): string;
  /** Sends `signal` and waits for the exit (SIGKILL after 10 s). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `fluent-bit -c configPath` with `env` added to ours (`run` execs the binary, so `pid` is Fluent Bit's). */
export function startFluentBit(configPath: string, env: Record<string, string>, logPath: string): FluentBitProcess {
  const fd = openSync(logPath, "a");
  const child = spawn(path.join(toolsDir, "fluent-bit/run"), ["-c", configPath], { cwd: repoRoot, stdio: ["ignore", fd, fd], env: { ...process.env, ...env } });
  closeSync(fd);
  const exited = once(child, "exit");
  if (child.pid === undefined) throw new Error("fluent-bit did not start");
  const pid = child.pid;
  return {
    pid,
    logPath,
    log: () => (existsSync(logPath) ? readFileSync(logPath, "utf8") : ""),
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 10000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** GET `http://127.0.0.1:port/path`: status and body, or `undefined` when nothing answers. */
export function httpGet(port: number, urlPath: string): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = get({ host: "127.0.0.1", port, path: urlPath, timeout: 2000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
  });
}

/** Resolves once Fluent Bit's `/api/v1/health` answers 200; throws with its log after `timeoutMs`. */
export async function waitForHealth(fluentBit: FluentBitProcess, port: number, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await httpGet(port, "/api/v1/health"))?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`fluent-bit health not ok after ${timeoutMs} ms:\n${fluentBit.log()}`);
    await delay(50);
  }
}

/** Fluent Bit chunk files (`*.flb`) under `storagePath`: none once everything read was delivered. */
export function pendingChunkFiles(storagePath: string): string[] {
  if (!existsSync(storagePath)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(storagePath)) {
    const full = path.join(storagePath, entry);
    if (statSync(full).isDirectory()) found.push(...pendingChunkFiles(full));
    else if (entry.endsWith(".flb")) found.push(full);
  }
  return found;
}

/** The contract record (as our NDJSON file sink writes it) with sequence number `seq` of run `run`. */
export function logRecord(run: string, seq: number): Record<string, unknown> {
  const entry = c.buildStandardLogEntry({
    timeUnixNano: 1_700_000_000_000_000_000n + BigInt(seq) * 1_000_000_007n + 123_456_789n,
    level: c.LogLevel.INFO,
    message: `line ${String(seq)} of ${run}`,
    service: { name: "api", type: c.ServiceType.API, environment: "test", host: "test-host" },
    data: {
      run: { kind: { case: "stringValue", value: run } },
      seq: { kind: { case: "intValue", value: BigInt(seq) } },
    },
  });
  return c.standardLogEntryToFluentRecord(entry) as Record<string, unknown>;
}

/** Appends records `from` … `to - 1` of `run` to `file` as NDJSON, in one write. */
export function appendRecords(file: string, run: string, from: number, to: number): void {
  let text = "";
  for (let seq = from; seq < to; seq++) text += `${JSON.stringify(logRecord(run, seq))}\n`;
  appendFileSync(file, text);
}

/** How often each `seq` of `run` was written, by seq. */
export function seqCounts(records: readonly WrittenRecord[], run: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of records) if (r.run === run && typeof r.seq === "number") counts.set(r.seq, (counts.get(r.seq) ?? 0) + 1);
  return counts;
}

/** A real Fluentd for a test file: started before its tests (with `sharedKey`), stopped after, with the Fluent Bits they ran. */
export interface FluentdFixture {
  readonly sharedKey: string;
  /** Fluent Bit processes the tests started: stopped after the file. */
  readonly running: FluentBitProcess[];
  /** The file's scratch directory. */
  readonly dir: string;
  readonly fluentd: FluentdSink;
}

/** Registers `beforeAll`/`afterAll` for a {@link FluentdFixture}; its `dir` and `fluentd` are there once `beforeAll` ran. */
export function fluentdFixture(prefix: string): FluentdFixture {
  const sharedKey = `${prefix}key-${String(process.pid)}-${Date.now().toString(36)}`;
  const running: FluentBitProcess[] = [];
  let temp: ReturnType<typeof tempDir> | undefined;
  let fluentd: FluentdSink | undefined;
  beforeAll(async () => {
    temp = tempDir(prefix);
    fluentd = await startFluentdSink(temp.dir, sharedKey);
  }, 60000);
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await fluentd?.stop();
    temp?.remove();
  }, 30000);
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the Fluentd fixture is not started (use it inside tests)");
    return value;
  };
  return {
    sharedKey,
    running,
    get dir() {
      return started(temp).dir;
    },
    get fluentd() {
      return started(fluentd);
    },
  };
}
