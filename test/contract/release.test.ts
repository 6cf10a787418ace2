// `npm run contract:release` on a copy of the repository's schema: what it writes and what it refuses.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { releaseContract } from "../../codegen/release-contract.js";
import { repoRoot } from "../helpers/run-command.js";

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A workspace with the repository's schema, releases and the printed validate.proto. */
function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), "emp-release-ws-"));
  roots.push(root);
  cpSync(join(repoRoot, "schema"), join(root, "schema"), { recursive: true });
  cpSync(join(repoRoot, ".build/protovalidate"), join(root, "protovalidate"), { recursive: true });
  writeFileSync(
    join(root, "buf.yaml"),
    "version: v2\nmodules:\n  - path: schema\n  - path: protovalidate\nbreaking:\n  use: [FILE]\n  ignore: [protovalidate]\n",
  );
  process.env.PATH = `${join(repoRoot, "node_modules/.bin")}:${process.env.PATH ?? ""}`;
  return root;
}

function edit(root: string, file: string, from: string, to: string): void {
  const path = join(root, "schema/emp/telemetry/v1", file);
  const before = readFileSync(path, "utf8");
  expect(before).toContain(from);
  writeFileSync(path, before.replace(from, to));
}

const setVersion = (root: string, v: string): void => {
  const path = join(root, "schema/emp/telemetry/v1/version.proto");
  writeFileSync(path, readFileSync(path, "utf8").replace(/option \(contract_version\) = "[^"]+";/, `option (contract_version) = "${v}";`));
};

const addedField = [
  '  bool can_retry = 10 [(mapping).key = "emp.job.can_retry"];',
  '  bool can_retry = 10 [(mapping).key = "emp.job.can_retry"];\n  // Queue the job came from.\n  string queue = 11 [(mapping).key = "emp.job.queue"];',
] as const;

describe("contract:release", () => {
  it("refuses a version that is already released", () => {
    const root = workspace();
    expect(() => releaseContract(root, "2026-11-28")).toThrow(/already released/);
  });

  it("releases a minor version: writes the baseline and a changelog entry of what was added", () => {
    const root = workspace();
    setVersion(root, "1.98.0");
    edit(root, "job.proto", ...addedField);
    const entry = releaseContract(root, "2026-12-01");
    expect(entry).toBe("## 1.98.0 (2026-12-01)\n\n- added field emp.telemetry.v1.JobEvent.queue = 11\n");
    expect(existsSync(join(root, "schema/releases/v1.98.0.binpb"))).toBe(true);
    expect(readFileSync(join(root, "schema/CHANGELOG.md"), "utf8")).toMatch(/newest first\.\n\n## 1\.98\.0 \(2026-12-01\)[\s\S]*## 1\.1\.0/);
  }, 60_000);

  it("refuses a breaking change within the same major version", () => {
    const root = workspace();
    setVersion(root, "1.98.0");
    edit(root, "log.proto", "string message = 3 [", "string message = 30 [");
    expect(() => releaseContract(root, "2026-12-01")).toThrow(/needs a new major version/);
    expect(existsSync(join(root, "schema/releases/v1.98.0.binpb"))).toBe(false);
  }, 60_000);

  it("refuses a version lower than the newest release", () => {
    const root = workspace();
    setVersion(root, "1.0.1");
    expect(() => releaseContract(root, "2026-12-01")).toThrow(/not higher than the released/);
  });
});
