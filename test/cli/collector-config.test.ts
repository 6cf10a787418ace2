// `emp-telemetry collector-config`: an OpenTelemetry Collector config, parsed by a real YAML parser.
import { describe, expect, it } from "vitest";
import { cliExitCodes } from "../../runtime/cli/cli-command.js";
import { collectorConfigCommand } from "../../runtime/cli/commands/collector-config.js";
import { collectorResourceAttributes } from "../../runtime/daemon-config/otel-collector/render-collector-config.js";
import { cliTestSecrets, cliTestSecretValues, runCommandInProcess } from "../helpers/cli-io.js";
import { parseYaml, yamlRuby } from "../helpers/parse-yaml.js";

type Doc = Record<string, Record<string, unknown>>;
interface Pipeline {
  receivers: string[];
  processors: string[];
  exporters: string[];
}

async function config(argv: readonly string[] = [], env: Record<string, string> = {}): Promise<{ text: string; doc: Doc }> {
  const r = await runCommandInProcess(argv, env, collectorConfigCommand);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(cliExitCodes.ok);
  return { text: r.stdout, doc: parseYaml(r.stdout) as Doc };
}

describe.skipIf(yamlRuby === undefined)("emp-telemetry collector-config", () => {
  it("defines every receiver, processor and exporter its pipelines reference", async () => {
    const { doc } = await config();
    const pipelines = (doc.service?.pipelines ?? {}) as Record<string, Pipeline>;
    expect(Object.keys(pipelines).sort()).toEqual(["logs", "metrics", "traces"]);
    for (const [name, p] of Object.entries(pipelines)) {
      expect(p.receivers.length, name).toBeGreaterThan(0);
      expect(p.exporters.length, name).toBeGreaterThan(0);
      for (const kind of ["receivers", "processors", "exporters"] as const) {
        for (const id of p[kind]) expect(Object.keys(doc[kind] ?? {}), `${name} ${kind} ${id}`).toContain(id);
      }
    }
  });

  it("keeps the exporter's queue on disk (file_storage) and retries for 72 h, as fluentd-config's file buffer", async () => {
    const { doc, text } = await config();
    const storage = doc.extensions?.["file_storage/emp"] as Record<string, unknown>;
    expect(storage).toMatchObject({ directory: "/var/lib/otelcol/file_storage", create_directory: true });
    expect((doc.service as { extensions?: unknown }).extensions).toEqual(["file_storage/emp"]);
    const exporter = doc.exporters?.["otlphttp/dash0"] as { sending_queue: Record<string, unknown>; retry_on_failure: Record<string, unknown> };
    expect(exporter.sending_queue).toMatchObject({ enabled: true, storage: "file_storage/emp" });
    expect(exporter.retry_on_failure.max_elapsed_time).toBe("72h");
    expect(text).toContain("Unsent batches wait on disk in /var/lib/otelcol/file_storage");
    const moved = await config(["--storage-dir", "/data/otel-queue"]);
    expect(moved.doc.extensions?.["file_storage/emp"]).toMatchObject({ directory: "/data/otel-queue" });
    const bad = await runCommandInProcess(["--storage-dir", "/tmp/a b"], {}, collectorConfigCommand);
    expect(bad.code).toBe(cliExitCodes.usage);
    expect(bad.stderr).toMatch(/^emp-telemetry collector-config: .*--storage-dir/);
  });

  it("receives OTLP over gRPC on 4317 and HTTP on 4318", async () => {
    const { doc } = await config();
    expect(doc.receivers?.otlp).toEqual({ protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } });
  });

  it("limits memory first and batches last", async () => {
    const { doc } = await config();
    const p = (doc.service!.pipelines as Record<string, Pipeline>).traces!;
    expect(p.processors[0]).toBe("memory_limiter");
    expect(p.processors.at(-1)).toBe("batch");
  });

  it("exports to Dash0 with a Bearer reference to DASH0_API_KEY and the dataset", async () => {
    const { doc } = await config(["--dash0-endpoint", "https://ingress.eu-west-1.aws.dash0.com", "--dataset", "emp-prod"]);
    expect(doc.exporters?.["otlphttp/dash0"]).toMatchObject({
      endpoint: "https://ingress.eu-west-1.aws.dash0.com",
      headers: { Authorization: "Bearer ${env:DASH0_API_KEY}", "Dash0-Dataset": "emp-prod" },
      compression: "gzip",
    });
  });

  it("reads the Dash0 endpoint from the collector's environment and uses the default dataset when not given", async () => {
    const { doc } = await config();
    expect(doc.exporters?.["otlphttp/dash0"]).toMatchObject({ endpoint: "${env:DASH0_ENDPOINT}", headers: { "Dash0-Dataset": "default" } });
  });

  it("inserts (never upserts) the environment from TELEMETRY_ENV under the contract's key", async () => {
    const { doc, text } = await config();
    expect(doc.processors?.["resource/emp"]).toEqual({ attributes: [{ key: "deployment.environment.name", value: "${env:TELEMETRY_ENV}", action: "insert" }] });
    expect(text).not.toMatch(/action: (upsert|update)/);
  });

  it("also inserts emp.machine.id from MACHINE_ID with --per-machine", async () => {
    const { doc } = await config(["--per-machine"]);
    const attributes = (doc.processors!["resource/emp"] as { attributes: unknown[] }).attributes;
    expect(attributes).toContainEqual({ key: "emp.machine.id", value: "${env:MACHINE_ID}", action: "insert" });
    expect(collectorResourceAttributes(true).map((a) => a.env)).toEqual(["TELEMETRY_ENV", "MACHINE_ID"]);
  });

  it("binds the receivers to --listen and the given ports", async () => {
    const { doc } = await config(["--listen", "127.0.0.1", "--grpc-port", "14317", "--http-port", "14318"]);
    expect(doc.receivers?.otlp).toEqual({ protocols: { grpc: { endpoint: "127.0.0.1:14317" }, http: { endpoint: "127.0.0.1:14318" } } });
  });

  it("never writes a secret from its environment", async () => {
    const { text } = await config([], { ...cliTestSecrets, DASH0_ENDPOINT: "https://x.example", DASH0_DATASET: "d" });
    for (const secret of cliTestSecretValues) expect(text).not.toContain(secret);
  });

  it("exits 2 naming each bad option", async () => {
    const r = await runCommandInProcess(
      ["--dash0-endpoint", "https://user:pw@x.example", "--dataset", "a b", "--grpc-port", "99999"],
      {},
      collectorConfigCommand,
    );
    expect(r.code).toBe(cliExitCodes.usage);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("--dash0-endpoint");
    expect(r.stderr).toContain("--dataset");
    expect(r.stderr).toContain("--grpc-port");
  });

  it("exits 2 on a stray argument", async () => {
    expect((await runCommandInProcess(["extra"], {}, collectorConfigCommand)).code).toBe(cliExitCodes.usage);
  });
});
