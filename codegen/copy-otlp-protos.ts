/**
 * Copies the OpenTelemetry protocol (OTLP) `.proto` files from the installed
 * `@opentelemetry/otlp-grpc-exporter-base` (the last release that ships them, 0.38.0; wire compatible
 * with current OTLP) into `.build/otlp`, where `buf generate` compiles them with protoc-gen-es for the
 * test receivers and the local collector. Build-time only, never committed.
 *
 * Usage: npx tsx codegen/copy-otlp-protos.ts [outDir=.build/otlp]
 */
import { cpSync, existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/** Copies the OTLP protos into `outDir`, replacing what was there. Throws when the package is missing. */
export function copyOtlpProtos(outDir: string): void {
  const require = createRequire(import.meta.url);
  const pkg = dirname(require.resolve("@opentelemetry/otlp-grpc-exporter-base/package.json"));
  const source = join(pkg, "build", "protos", "opentelemetry");
  if (!existsSync(source)) throw new Error(`no OTLP protos in ${pkg}: is @opentelemetry/otlp-grpc-exporter-base@0.38.0 installed?`);
  rmSync(outDir, { recursive: true, force: true });
  cpSync(source, join(outDir, "opentelemetry"), { recursive: true });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  copyOtlpProtos(process.argv[2] ?? ".build/otlp");
}
