/**
 * The breaking-change gate: `buf breaking` of `schema/` against the newest released baseline image in
 * `schema/releases/` (`v<major>.<minor>.<patch>.binpb`, highest version wins).
 *
 * Usage: npx tsx codegen/check-breaking.ts  (exit code of buf breaking)
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** Path of the newest released baseline image under `releasesDir`. Throws when there is none. */
export function latestBaseline(releasesDir: string): string {
  const versions = readdirSync(releasesDir)
    .map((f) => /^v(\d+)\.(\d+)\.(\d+)\.binpb$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file: m[0], v: [Number(m[1]), Number(m[2]), Number(m[3])] as const }))
    .sort((a, b) => a.v[0] - b.v[0] || a.v[1] - b.v[1] || a.v[2] - b.v[2]);
  const newest = versions.at(-1);
  if (newest === undefined) throw new Error(`no released baseline (v<x.y.z>.binpb) in ${releasesDir}`);
  return join(releasesDir, newest.file);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = spawnSync("buf", ["breaking", "schema", "--against", latestBaseline("schema/releases")], { stdio: "inherit" });
  process.exitCode = r.status ?? 1;
}
