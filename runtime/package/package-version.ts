import packageJson from "../../package.json" with { type: "json" };

/**
 * This package's name and version, read from package.json: esbuild inlines it into the bundle in
 * dist/, and tsx and vitest import it from the sources, so the version is written in one place.
 * The instrumentation scope of our OTLP records and the OpenTelemetry tracer carry them.
 */
export const packageName: string = packageJson.name;

/** See {@link packageName}. */
export const packageVersion: string = packageJson.version;
