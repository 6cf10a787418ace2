// Issue 13 item 5: a receiver that echoes the credentials it was sent (a 401 saying `invalid token X`,
// the Bearer form, JSON, URL-encoded, the user:password of Basic auth, a partial_success message)
// must not get them into anything that leaves the client: health(), debug stderr, the health
// handler's JSON, GetHealth over Connect, util.inspect of the client.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { partialSuccessBody } from "../helpers/otlp-receiver.js";
import { type ReceivedHttpRequest, type ScriptedResponse, startScriptedHttpReceiver } from "../helpers/scripted-http-receiver.js";
import { until } from "../helpers/until.js";

const cleanups = cleanupsAfterEach();

/** A Dash0 key with characters that URL-encoding changes. */
const apiKey = "auth_Zk3y/S3cr+3t=T0ken";
const basicUser = "emp-user";
const basicPassword = "pa55:w0rd-Xq";
const basicToken = Buffer.from(`${basicUser}:${basicPassword}`).toString("base64");

/** The credential part of the Authorization header the receiver got (`Bearer X` → `X`). */
function credentialOf(request: ReceivedHttpRequest): string {
  return String(request.headers.authorization ?? "").replace(/^\w+ /, "");
}

type Echo = (request: ReceivedHttpRequest) => ScriptedResponse;
const unauthorized = (body: string): ScriptedResponse => ({ status: 401, headers: { "content-type": "text/plain" }, body });

const dash0Echoes: Record<string, Echo> = {
  "the bare token": (r) => unauthorized(`invalid token ${credentialOf(r)}`),
  "the Bearer form": (r) => unauthorized(`rejected Authorization: ${String(r.headers.authorization)}`),
  JSON: (r) => ({ status: 401, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: "invalid token", token: credentialOf(r) }) }),
  "the URL-encoded token": (r) => unauthorized(`denied /v1/logs?token=${encodeURIComponent(credentialOf(r))}`),
  "a partial_success message": (r) => ({ status: 200, body: partialSuccessBody(1, `token ${credentialOf(r)} may not write`) }),
};

const basicEchoes: Record<string, Echo> = {
  "the base64 of user:password": (r) => unauthorized(`bad credentials ${credentialOf(r)}`),
  "the decoded user:password": (r) => unauthorized(`user ${Buffer.from(credentialOf(r), "base64").toString()} rejected`),
  "the password alone, URL-encoded": () => unauthorized(`password=${encodeURIComponent(basicPassword)} is wrong`),
};

/** A client sending its logs to a receiver answering `echo`, with debug diagnostics captured. */
async function leakyClient(echo: Echo, env: (url: string) => Record<string, string>): Promise<{ client: EmpTelemetryClient; debug: string[] }> {
  const receiver = await startScriptedHttpReceiver(echo);
  cleanups.push(() => receiver.close());
  const debug: string[] = [];
  const client = new EmpTelemetryClient({
    env: { SERVICE_NAME: "leaky", SERVICE_TYPE: "api", TELEMETRY_ENV: "test", ...env(receiver.url("")) },
    fluentd: { enabled: false },
    otlp: { traces: false, logs: true },
    debug: true,
    diagnosticsWriter: (line) => debug.push(line),
    handleExitSignals: false,
    registerGlobal: false,
  });
  cleanups.push(() => client.shutdown(500));
  client.log.info("one entry");
  await client.flush(3000);
  await until(() => client.health().sinks.some((sink) => sink.lastError !== undefined), 3000);
  return { client, debug };
}

/** Every text of the client that leaves it. */
async function artefacts(client: EmpTelemetryClient, debug: readonly string[]): Promise<Record<string, string>> {
  const handler = client.createHealthHandler();
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const healthJson = await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/health/telemetry`)).text();
  const healthServer = await client.serveHealth({ port: 0 });
  cleanups.push(() => healthServer.close());
  const rpc = createClient(c.TelemetryHealthService, createConnectTransport({ baseUrl: healthServer.url, httpVersion: "1.1" }));
  const getHealth = JSON.stringify(await rpc.getHealth({}), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
  return {
    health: JSON.stringify(client.health()),
    debug: debug.join(""),
    healthJson,
    getHealth,
    inspect: inspect(client, { depth: 20, showHidden: true }),
  };
}

function expectNoneOf(found: Record<string, string>, secrets: readonly string[]): void {
  expect(found.health).toMatch(/HTTP 401|rejected|may not write/);
  expect(found.getHealth).toMatch(/HTTP 401|rejected|may not write/);
  expect(found.debug).toMatch(/HTTP 401|may not write/);
  for (const [where, text] of Object.entries(found)) {
    for (const secret of secrets) expect(text.includes(secret), `${where} holds ${secret}: ${text.slice(0, 600)}`).toBe(false);
  }
}

describe("a receiver echoing the Dash0 key", () => {
  const env = (url: string) => ({ DASH0_ENDPOINT: url, DASH0_API_KEY: apiKey });
  for (const [what, echo] of Object.entries(dash0Echoes)) {
    it(`leaks no form of it when it echoes ${what}`, { timeout: 15_000 }, async () => {
      const { client, debug } = await leakyClient(echo, env);
      expectNoneOf(await artefacts(client, debug), [apiKey, encodeURIComponent(apiKey), "Zk3y"]);
    });
  }
});

describe("a receiver echoing Basic credentials from OTEL_EXPORTER_OTLP_HEADERS", () => {
  const env = (url: string) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_HEADERS: `authorization=Basic%20${basicToken}` });
  for (const [what, echo] of Object.entries(basicEchoes)) {
    it(`leaks no form of them when it echoes ${what}`, { timeout: 15_000 }, async () => {
      const { client, debug } = await leakyClient(echo, env);
      expectNoneOf(await artefacts(client, debug), [basicToken, basicPassword, encodeURIComponent(basicPassword), "w0rd-Xq"]);
    });
  }
});
