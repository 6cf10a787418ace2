// The schema toolchain as CI runs it: lint, reproducible generation (drift of generated/), and the
// breaking-change gate against the released baseline image.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { latestBaseline } from "../../codegen/check-breaking.js";
import { repoRoot, runCommand } from "../helpers/run-command.js";

const baseline = latestBaseline(join(repoRoot, "schema/releases"));
const scratch = mkdtempSync(join(tmpdir(), "emp-buf-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** A copy of the schema module with one edit applied, for the breaking check to judge. */
function editedSchema(name: string, file: string, edit: (source: string) => string): string {
  const dir = join(scratch, name);
  cpSync(join(repoRoot, "schema"), dir, { recursive: true });
  const path = join(dir, "emp/telemetry/v1", file);
  const before = readFileSync(path, "utf8");
  const after = edit(before);
  expect(after, "the edit must change the file").not.toEqual(before);
  writeFileSync(path, after);
  return dir;
}

function breakingAgainstBaseline(schemaDir: string): ReturnType<typeof runCommand> {
  // The copied module resolves buf/validate from the workspace's printed copy.
  const work = join(scratch, `ws-${relative(scratch, schemaDir)}`);
  cpSync(join(repoRoot, ".build/protovalidate"), join(work, "protovalidate"), { recursive: true });
  cpSync(schemaDir, join(work, "schema"), { recursive: true });
  writeFileSync(join(work, "buf.yaml"), "version: v2\nmodules:\n  - path: schema\n  - path: protovalidate\nbreaking:\n  use: [FILE]\n");
  return runCommand("buf", ["breaking", "schema", "--against", baseline], { cwd: work });
}

describe("the schema", () => {
  it("passes buf lint (STANDARD)", () => {
    const r = runCommand("buf", ["lint"]);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("has no breaking change against the newest released baseline", () => {
    const r = runCommand("buf", ["breaking", "schema", "--against", baseline]);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("fails the breaking check when a field is renumbered", () => {
    const dir = editedSchema("renumbered", "log.proto", (s) => s.replace("string message = 3 [", "string message = 30 ["));
    const r = breakingAgainstBaseline(dir);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/FIELD_SAME_NAME|deleted|FIELD_NO_DELETE/);
  });

  it("fails the breaking check when a field changes type", () => {
    const dir = editedSchema("retyped", "job.proto", (s) =>
      s
        .replace("double progress = 5 [", "float progress = 5 [")
        .replace("(buf.validate.field).double = {\n      gte: 0\n      lte: 100", "(buf.validate.field).float = {\n      gte: 0\n      lte: 100"),
    );
    const r = breakingAgainstBaseline(dir);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/FIELD_SAME_TYPE|changed type/);
  });

  it("passes the breaking check for an added field (a minor change)", () => {
    const dir = editedSchema("added", "job.proto", (s) =>
      s.replace(
        '  bool can_retry = 10 [(mapping).key = "emp.job.can_retry"];',
        '  bool can_retry = 10 [(mapping).key = "emp.job.can_retry"];\n  // Queue the job came from.\n  string queue = 11 [(mapping).key = "emp.job.queue"];',
      ),
    );
    const r = breakingAgainstBaseline(dir);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("generated/ and docs/", () => {
  it("are exactly what buf generate writes (no drift, reproducible)", () => {
    const out = join(scratch, "generated");
    const r = runCommand("buf", ["generate", "--output", out], { timeoutMs: 120_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const dir of ["generated", "docs"]) {
      const fresh = join(out, dir);
      const committed = join(repoRoot, dir);
      expect(listFiles(fresh)).toEqual(listFiles(committed));
      for (const file of listFiles(committed)) {
        expect(readFileSync(join(fresh, file), "utf8"), `${dir}/${file}`).toBe(readFileSync(join(committed, file), "utf8"));
      }
    }
  }, 120_000);
});
