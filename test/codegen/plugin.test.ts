// Our buf plugin on fixture schemas: secrets redacted by the mappers it emits, and schemas it cannot
// compile rejected with a message naming the element, never skipped.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { create, fromBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { protocGenEmpTelemetry } from "../../codegen/protoc-gen-emp-telemetry.js";
import { repoRoot, runCommand } from "../helpers/run-command.js";

const root = join(repoRoot, ".build", `codegen-fixture-${process.pid}`);
const fixture = readFileSync(join(repoRoot, "test/fixtures/codegen/fixture.proto"), "utf8");

/** A buf workspace holding options.proto and one fixture file, generating into `gen/` with our plugin; returns its path. */
function workspace(name: string, proto: string, pluginOpts: string[] = []): string {
  const ws = join(root, name);
  mkdirSync(join(ws, "schema/emp/fixture/v1"), { recursive: true });
  mkdirSync(join(ws, "schema/emp/telemetry/v1"), { recursive: true });
  cpSync(join(repoRoot, "schema/emp/telemetry/v1/options.proto"), join(ws, "schema/emp/telemetry/v1/options.proto"));
  cpSync(join(repoRoot, ".build/protovalidate"), join(ws, "protovalidate"), { recursive: true });
  writeFileSync(join(ws, "schema/emp/fixture/v1/fixture.proto"), proto);
  writeFileSync(join(ws, "buf.yaml"), "version: v2\nmodules:\n  - path: schema\n  - path: protovalidate\n");
  const opt = ["target=ts", ...pluginOpts].map((o) => `      - ${o}`).join("\n");
  writeFileSync(
    join(ws, "buf.gen.yaml"),
    "version: v2\ninputs:\n  - directory: schema\nplugins:\n" +
      "  - local: protoc-gen-es\n    out: gen\n    strategy: all\n" +
      '    opt: [target=ts, import_extension=js, "rewrite_imports=./buf/validate/validate_pb.js:@bufbuild/protovalidate/gen"]\n' +
      `  - local: ["node", "--import", "tsx", "${join(repoRoot, "codegen/plugin.ts")}"]\n    out: gen\n    strategy: all\n    opt:\n${opt}\n`,
  );
  return ws;
}

/** Runs buf generate in a fresh {@link workspace}; returns its result. */
function generate(name: string, proto: string, pluginOpts: string[] = []): { status: number | null; stderr: string; out: string } {
  const ws = workspace(name, proto, pluginOpts);
  const r = runCommand("buf", ["generate"], { cwd: ws, timeoutMs: 60_000 });
  return { status: r.status, stderr: r.stderr, out: join(ws, "gen") };
}

beforeAll(() => mkdirSync(root, { recursive: true }));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("protoc-gen-emp-telemetry", () => {
  it("emits mappers that redact secret fields on every target", async () => {
    const r = generate("secret", fixture);
    expect(r.stderr).toBe("");
    const mod = (await import(pathToFileURL(join(r.out, "emp/fixture/v1/fixture_contract.ts")).href)) as Record<string, (x: unknown) => unknown>;
    const creds = mod.buildCredentials!({ user: "ana", token: "s3cr3t-token" });
    expect(mod.credentialsToFluentRecord!(creds)).toEqual({ "emp.user": "ana", "emp.token": "[redacted]" });
    expect(mod.credentialsToAttributes!(creds)).toEqual({ "emp.user": "ana", "emp.token": "[redacted]" });
    expect(JSON.stringify(mod.credentialsToFluentRecord!(creds))).not.toContain("s3cr3t");
  }, 60_000);

  it("is deterministic: two runs write identical files", () => {
    const a = generate("det-a", fixture);
    const b = generate("det-b", fixture);
    const file = "emp/fixture/v1/fixture_contract.ts";
    expect(readFileSync(join(a.out, file), "utf8")).toBe(readFileSync(join(b.out, file), "utf8"));
  }, 60_000);

  it("writes the same files when run twice in one process: no emitter keeps state beyond its file", () => {
    const ws = workspace("twice", fixture);
    expect(runCommand("buf", ["build", "-o", "image.binpb"], { cwd: ws, timeoutMs: 60_000 }).status).toBe(0);
    const descriptors = fromBinary(FileDescriptorSetSchema, readFileSync(join(ws, "image.binpb")));
    const request = create(CodeGeneratorRequestSchema, {
      fileToGenerate: ["emp/fixture/v1/fixture.proto"],
      parameter: "target=ts",
      protoFile: descriptors.file,
    });
    const run = (): string[][] => protocGenEmpTelemetry.run(request).file.map((f) => [f.name, f.content]);
    const first = run();
    expect(first.map(([name]) => name)).toContain("emp/fixture/v1/fixture_contract.ts");
    expect(run()).toEqual(first);
  }, 60_000);

  it("rejects a rule it cannot compile, naming the field", () => {
    const r = generate("unsupported", fixture.replace("(buf.validate.field).string.min_len = 1", "(buf.validate.field).string.email = true"));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("emp.fixture.v1.Credentials.user: string.email is not supported");
  }, 60_000);

  it("rejects a field without a target mapping", () => {
    const r = generate("unmapped", fixture.replace('(emp.telemetry.v1.mapping).key = "emp.user",\n    ', ""));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("emp.fixture.v1.Credentials.user has no (emp.telemetry.v1.mapping) option");
  }, 60_000);

  it("rejects unknown plugin options", () => {
    const r = generate("option", fixture, ["flavour=extra"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("takes only emit=code|docs; got flavour");
  }, 60_000);
});
