/**
 * `npm run contract:release`: releases the contract version that `schema/emp/telemetry/v1/version.proto`
 * declares. It refuses a version that is already released or not higher than the newest release, and a
 * breaking change (buf breaking against the newest baseline) unless the major version moved; then it
 * writes the baseline image `schema/releases/v<version>.binpb` and prepends a changelog entry listing
 * the messages, fields, enum values, services and RPCs added (and, for a major, removed) to
 * `schema/CHANGELOG.md`.
 *
 * Usage: npx tsx codegen/release-contract.ts [--date YYYY-MM-DD]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { fromBinary } from "@bufbuild/protobuf";
import { type FileDescriptorProto, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { latestBaseline } from "./check-breaking.js";

type Version = readonly [number, number, number];

function parseVersion(v: string): Version {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
  if (m === null) throw new Error(`not a semantic version: ${v}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The elements (messages, fields, enum values) an image declares in the contract's package, as sorted names. */
export function contractElements(imagePath: string): Set<string> {
  const set = fromBinary(FileDescriptorSetSchema, readFileSync(imagePath));
  const out = new Set<string>();
  const visit = (file: FileDescriptorProto): void => {
    if (!file.package.startsWith("emp.")) return;
    const messages = (prefix: string, list: FileDescriptorProto["messageType"]): void => {
      for (const m of list) {
        const name = `${prefix}.${m.name}`;
        out.add(`message ${name}`);
        for (const f of m.field) out.add(`field ${name}.${f.name} = ${f.number}`);
        messages(name, m.nestedType);
        for (const e of m.enumType) for (const v of e.value) out.add(`enum value ${name}.${e.name}.${v.name} = ${v.number}`);
      }
    };
    messages(file.package, file.messageType);
    for (const svc of file.service) {
      out.add(`service ${file.package}.${svc.name}`);
      for (const m of svc.method)
        out.add(`rpc ${file.package}.${svc.name}.${m.name}(${m.inputType.replace(/^\./, "")}) returns (${m.outputType.replace(/^\./, "")})`);
    }
    for (const e of file.enumType) for (const v of e.value) out.add(`enum value ${file.package}.${e.name}.${v.name} = ${v.number}`);
  };
  set.file.forEach(visit);
  return out;
}

/** The changelog entry between two images. */
export function changelogEntry(version: string, date: string, before: Set<string> | undefined, after: Set<string>): string {
  const added = [...after].filter((x) => before === undefined || !before.has(x)).sort();
  const removed = before === undefined ? [] : [...before].filter((x) => !after.has(x)).sort();
  const lines = [`## ${version} (${date})`, ""];
  if (before === undefined) lines.push("First release.");
  for (const a of added) lines.push(`- added ${a}`);
  for (const r of removed) lines.push(`- removed ${r}`);
  if (before !== undefined && added.length === 0 && removed.length === 0) lines.push("- no schema element changed");
  return `${lines.join("\n")}\n`;
}

function run(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const r = spawnSync(command, args, { encoding: "utf8", cwd });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Releases the declared contract version from `root` (the repository). Throws with the reason when it must not. */
export function releaseContract(root: string, date: string): string {
  const declared = /option \(contract_version\) = "([^"]+)";/.exec(readFileSync(join(root, "schema/emp/telemetry/v1/version.proto"), "utf8"))?.[1];
  if (declared === undefined) throw new Error("schema/emp/telemetry/v1/version.proto sets no (contract_version)");
  const version = parseVersion(declared);
  const releases = join(root, "schema/releases");
  const target = join(releases, `v${declared}.binpb`);
  if (existsSync(target)) throw new Error(`contract ${declared} is already released; bump (contract_version) in version.proto first`);
  let previous: string | undefined;
  try {
    previous = latestBaseline(releases);
  } catch {
    previous = undefined;
  }
  if (previous !== undefined) {
    const prevVersion = parseVersion(/v(\d+\.\d+\.\d+)\.binpb$/.exec(previous)![1]!);
    if (compare(version, prevVersion) <= 0) throw new Error(`contract ${declared} is not higher than the released ${prevVersion.join(".")}`);
    const breaking = run("buf", ["breaking", "schema", "--against", previous], root);
    if (breaking.status !== 0 && version[0] === prevVersion[0]) {
      throw new Error(`breaking change against ${prevVersion.join(".")} needs a new major version (emp.telemetry.v2):\n${breaking.output}`);
    }
  }
  const scratch = mkdtempSync(join(tmpdir(), "emp-release-"));
  try {
    const image = join(scratch, "image.binpb");
    const built = run("buf", ["build", "schema", "--exclude-source-info", "-o", image], root);
    if (built.status !== 0) throw new Error(`buf build failed:\n${built.output}`);
    const entry = changelogEntry(declared, date, previous === undefined ? undefined : contractElements(previous), contractElements(image));
    writeFileSync(target, readFileSync(image));
    const changelogPath = join(root, "schema/CHANGELOG.md");
    const header = "# Contract changelog\n\nWritten by `npm run contract:release`, newest first.\n\n";
    const old = existsSync(changelogPath) ? readFileSync(changelogPath, "utf8").replace(header, "") : "";
    writeFileSync(changelogPath, header + entry + (old === "" ? "" : `\n${old}`));
    return entry;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf("--date");
  const date = i > 0 ? process.argv[i + 1]! : new Date().toISOString().slice(0, 10);
  try {
    process.stdout.write(releaseContract(process.cwd(), date));
  } catch (error: unknown) {
    process.stderr.write(`contract:release: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
