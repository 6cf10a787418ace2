// Whether dist/ is what `npm run build` would make now, so `npm test` right after `npm ci` (whose
// `prepare` built it) need not build it again.
//   node .ci/build-stamp.mjs write   after a successful build: records the hashes in dist/
//   node .ci/build-stamp.mjs check   exit 0 when dist/ is up to date, 1 otherwise (says why)
// Up to date means: the SHA-256 of every build input (runtime/, generated/, the bundler, the
// tsconfigs, package.json and the lockfile: contents, not times) and of every file in dist/ are
// the ones recorded when dist/ was built. A changed, added or removed input, or a dist/ touched
// since, is stale. The build deletes dist/ (and so the stamp) first: a failed build leaves none.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const stampFile = path.join(root, "dist", ".build-stamp.json");
const inputs = ["runtime", "generated", "codegen/bundle-runtime.ts", "tsconfig.json", "tsconfig.build.json", "package.json", "package-lock.json"];

/** Every file under `relative` (or itself), sorted, as paths relative to the root. */
function files(relative) {
  const full = path.join(root, relative);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [relative];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)))
    .sort();
}

/** One SHA-256 over the paths and contents of `list`. */
function hash(list) {
  const h = createHash("sha256");
  for (const file of list)
    h.update(`${file}\0`)
      .update(readFileSync(path.join(root, file)))
      .update("\0");
  return h.digest("hex");
}

const current = () => ({
  inputs: hash(inputs.flatMap(files)),
  dist: hash(files("dist").filter((f) => f !== path.relative(root, stampFile))),
});

const mode = process.argv[2];
if (mode === "write") {
  writeFileSync(stampFile, `${JSON.stringify(current())}\n`);
} else if (mode === "check") {
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(stampFile, "utf8"));
  } catch {
    process.stdout.write("dist/ has no build stamp: building\n");
    process.exit(1);
  }
  const now = current();
  if (recorded.inputs !== now.inputs) {
    process.stdout.write("dist/ is older than its sources: building\n");
    process.exit(1);
  }
  if (recorded.dist !== now.dist) {
    process.stdout.write("dist/ was changed since it was built: building\n");
    process.exit(1);
  }
  process.stdout.write("dist/ is up to date (built from these sources): not building again\n");
} else {
  process.stderr.write("usage: node .ci/build-stamp.mjs write|check\n");
  process.exit(2);
}
