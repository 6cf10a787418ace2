// Issue 14, packaging: a user's @opentelemetry/instrumentation-http beside us (one @opentelemetry/api,
// a peer dependency with a range). Its HTTP client span, made inside our span, arrives with our span as
// its parent. A child process: instrumentation patches `http` per process.
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/daemons.js";
import { hex, startOtlpReceiver } from "../helpers/otlp-receiver.js";

const otlp = await startOtlpReceiver();
afterAll(() => otlp.close());

describe("@opentelemetry/instrumentation-http beside the client", () => {
  it("an instrumented HTTP client span is a child of the client's span, in the same trace", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "test/helpers/http-instrumentation-child.ts"), otlp.url("")], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 30_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, "exit")) as [number | null];
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toBe("done true\n");
    const scoped = otlp
      .traces()
      .flatMap((req) => req.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ s, scope: ss.scope })))));
    const spans = scoped.map(({ s }) => s);
    const ours = spans.find((s) => s.name === "checkout");
    const client = spans.find((s) => s.name === "GET" && s.kind === 3); // SPAN_KIND_CLIENT, made by the instrumentation
    const server = spans.find((s) => s.name === "GET" && s.kind === 2); // its SERVER span for the same request
    expect(ours).toBeDefined();
    expect(client).toBeDefined();
    expect(hex(client!.traceId)).toBe(hex(ours!.traceId));
    expect(hex(client!.parentSpanId)).toBe(hex(ours!.spanId));
    expect(hex(server!.parentSpanId)).toBe(hex(client!.spanId));
    // Each span keeps the instrumentation scope of the tracer that made it.
    const scopeOf = (name: string) => scoped.filter(({ s }) => s.name === name).map(({ scope }) => scope?.name);
    expect(scopeOf("checkout")).toEqual(["@emp/telemetry"]);
    expect(scopeOf("GET")).toEqual(["@opentelemetry/instrumentation-http", "@opentelemetry/instrumentation-http"]);
    expect(scoped.find(({ s }) => s.name === "GET")?.scope?.version).toBe("0.223.0");
  });
});
