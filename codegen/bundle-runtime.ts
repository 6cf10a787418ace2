// Builds the package's JavaScript: every entry point of the `exports` map and the CLI's `bin`,
// bundled from the TypeScript sources by esbuild with code splitting. Shared code goes to
// `dist/chunks/` (one instance of every module, whichever entry points a service imports), and each
// `import()` the runtime does lazily (transports, diagnostics, the collector) becomes its own chunk.
// A service then loads a few files instead of a hundred modules: start-up time is what it is for.
// Declarations come from `tsc -p tsconfig.build.json` (declarations only); dependencies stay external.
// No source maps: they embedded the TypeScript sources and were 1.7 MB of a 3.4 MB package, twice
// the JavaScript. The bundles are not minified and esbuild marks each module with a `// runtime/…`
// comment, so a stack trace into dist/ still reads, and points at the source file.
import { readFileSync } from "node:fs";
import { build, type Plugin } from "esbuild";

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly exports: Record<string, string | { readonly default: string }>;
  readonly bin: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as PackageJson;
const built = [...Object.values(pkg.exports).map((e) => (typeof e === "string" ? e : e.default)), ...Object.values(pkg.bin)].filter((p) =>
  p.startsWith("./dist/"),
);

/** `runtime/package/package-version.ts` imports package.json: the bundle gets its name and version only. */
const packageIdentity: Plugin = {
  name: "package-identity",
  setup(b) {
    b.onLoad({ filter: /[\\/]package\.json$/ }, () => ({ contents: JSON.stringify({ name: pkg.name, version: pkg.version }), loader: "json" }));
  },
};
const entryPoints = built.map((p) => p.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts"));

await build({
  entryPoints,
  absWorkingDir: new URL("..", import.meta.url).pathname,
  outbase: ".",
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: false,
  logLevel: "warning",
  plugins: [packageIdentity],
});
process.stdout.write(`bundled ${entryPoints.length} entry points into dist/\n`);
