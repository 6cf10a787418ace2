import { spawnSync } from "node:child_process";
import type { StandardLogEntry } from "../../generated/index.js";
import { revealHeaders } from "../config/secret.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import { createFluentLogEncoder } from "../encoding/fluent-log-encoder.js";
import { encodeOtlpLogs } from "../encoding/otlp-log-encoder.js";
import { newChunkId, writeForwardOption, writePackedForwardHead } from "../wire/forward/protocol.js";
import { MsgpackWriter } from "../wire/msgpack-writer.js";

/** How long a crashing process waits for its crash entry to be delivered, in ms. */
export const crashDeliveryTimeoutMs = 1000;

/** One send of the crash entry: the sink it stands for and the bytes to put on the wire. */
interface CrashSend {
  readonly sink: string;
  readonly kind: "tcp" | "tls" | "http";
  readonly host?: string;
  readonly port?: number;
  readonly url?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Base64 of the message (a PackedForward message asking for an ack, or an OTLP logs request). */
  readonly body: string;
}

// The sender runs in a child process that the crashing process waits for (spawnSync): the only way to
// do network I/O once Node has decided to end the process. Plain node:net/tls/http, no import of ours.
// Each send succeeds on the forward ack (any answer) or a 2xx; it prints the sinks that got the entry.
const senderSource = `
const net = require("node:net"), tls = require("node:tls"), http = require("node:http"), https = require("node:https");
let input = ""; process.stdin.setEncoding("utf8").on("data", (c) => (input += c)).on("end", () => {
  const sends = JSON.parse(input);
  Promise.all(sends.map((s) => new Promise((done) => {
    const body = Buffer.from(s.body, "base64");
    if (s.kind === "http") {
      const u = new URL(s.url);
      const headers = { ...s.headers, "content-type": "application/x-protobuf" };
      const req = (u.protocol === "https:" ? https : http).request(u, { method: "POST", headers }, (res) => {
        res.resume(); done(res.statusCode >= 200 && res.statusCode < 300 ? s.sink : undefined);
      });
      req.on("error", () => done(undefined)); req.end(body); return;
    }
    const to = { host: s.host, port: s.port };
    const socket = s.kind === "tls" ? tls.connect({ ...to, servername: s.host }) : net.connect(to);
    socket.on("data", () => { done(s.sink); socket.destroy(); });
    socket.on("error", () => done(undefined)); socket.on("close", () => done(undefined));
    socket.write(body);
  }))).then((got) => process.stdout.write(JSON.stringify(got.filter(Boolean))));
});`;

/**
 * Sends `entry` to the Fluentd forward receiver and the OTLP logs receiver of `config`, synchronously:
 * a child process does the I/O and the caller waits for it, at most {@link crashDeliveryTimeoutMs}.
 * For a process that is about to end (an uncaught exception), when no asynchronous work can run any
 * more. The forward message asks for an ack; a receiver that wants the shared-key handshake, and the
 * Fluentd `in_http` sink, are skipped. Returns the names of the sinks that acknowledged. Never throws.
 */
export function deliverCrashEntry(config: TelemetryConfig, tag: string, entry: StandardLogEntry): readonly string[] {
  try {
    const sends: CrashSend[] = [];
    const { fluentd } = config;
    if (fluentd.enabled && fluentd.protocol === "forward" && fluentd.sharedKey === undefined) {
      sends.push({ sink: "fluentd-forward", kind: fluentd.tls ? "tls" : "tcp", host: fluentd.host, port: fluentd.port, body: forwardMessage(tag, entry) });
    }
    if (config.otlp.logsEndpoint !== undefined) {
      const body = Buffer.from(encodeOtlpLogs([entry]).body).toString("base64");
      sends.push({ sink: "otlp-logs", kind: "http", url: config.otlp.logsEndpoint, headers: revealHeaders(config.otlp.headers), body });
    }
    if (sends.length === 0) return [];
    const child = spawnSync(process.execPath, ["-e", senderSource], {
      input: JSON.stringify(sends),
      timeout: crashDeliveryTimeoutMs,
      encoding: "utf8",
      stdio: ["pipe", "pipe", "ignore"],
      env: {},
    });
    const got: unknown = JSON.parse(child.stdout === "" ? "[]" : child.stdout);
    return Array.isArray(got) ? got.filter((name): name is string => typeof name === "string") : [];
  } catch {
    return [];
  }
}

/** A PackedForward message of `entry` asking for an ack, as base64. */
function forwardMessage(tag: string, entry: StandardLogEntry): string {
  const entries = createFluentLogEncoder(tag)([entry]).body;
  const writer = new MsgpackWriter(512);
  writePackedForwardHead(writer, tag, entries.byteLength);
  const head = writer.toBytes();
  writer.reset();
  writeForwardOption(writer, { size: 1, chunk: newChunkId(), compressed: false });
  return Buffer.concat([head, entries, writer.toBytes()]).toString("base64");
}
