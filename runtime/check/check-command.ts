import { checkProject } from "./check-project.js";
import { formatCheckReport } from "./format-check-report.js";

/** Where `runCheckCommand` writes: anything with `write(string)`, such as `process.stdout`. */
export interface CheckCommandIo {
  /** Receives the report. */
  readonly stdout: { write(chunk: string): unknown };
  /** Receives usage and failure messages. */
  readonly stderr: { write(chunk: string): unknown };
}

/** Exit codes of `runCheckCommand`. */
export const checkExitCodes = Object.freeze({
  /** No error findings (warnings allowed). */
  passed: 0,
  /** At least one error finding. */
  failed: 1,
  /** Bad arguments, or the directory could not be read. */
  usage: 2,
});

const usage = `usage: emp-telemetry check [--json] <dir>

Checks a project's telemetry calls statically (ts-morph, the project's tsconfig.json): span and event
names (lowercase dot-separated, not the contract's reserved names; an HTTP server span named
\`\${method} \${route}\` as OpenTelemetry names it is fine), aliases of contract keys (jobId → emp.job.id),
secrets passed to log calls, and trace.span promises left floating.

options:
  --json      the report as JSON
  -h, --help  this help

exit: 0 no error findings (warnings allowed), 1 error findings, 2 bad arguments or unreadable directory
`;

const prefix = "emp-telemetry check: ";

/**
 * The `check` command: parses `<dir> [--json]` (`--json` anywhere; `--help`/`-h` prints the usage),
 * runs `checkProject(dir)`, writes the report (text, or JSON with `--json`) to `stdout` and resolves
 * with the exit code: 0 passed, 1 error findings, 2 bad arguments or unreadable directory (message on
 * `stderr`, prefixed `emp-telemetry check:`). Never rejects.
 */
export async function runCheckCommand(argv: readonly string[], io: CheckCommandIo): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout.write(usage);
    return checkExitCodes.passed;
  }
  const json = argv.includes("--json");
  const rest = argv.filter((a) => a !== "--json");
  const unknownFlags = rest.filter((a) => a.startsWith("-"));
  if (unknownFlags.length > 0 || rest.length !== 1) {
    const problem =
      unknownFlags.length > 0
        ? `unknown option ${unknownFlags.join(", ")}; options: --json, --help`
        : rest.length === 0
          ? "missing <dir>"
          : `expected one <dir>, got ${rest.length}`;
    io.stderr.write(`${prefix}${problem}\n${usage}`);
    return checkExitCodes.usage;
  }
  const dir = rest[0]!;
  try {
    const report = await checkProject(dir);
    io.stdout.write(formatCheckReport(report, json ? "json" : "text"));
    return report.status === "failed" ? checkExitCodes.failed : checkExitCodes.passed;
  } catch (error: unknown) {
    io.stderr.write(`${prefix}cannot check ${dir}: ${error instanceof Error ? error.message : String(error)}\n`);
    return checkExitCodes.usage;
  }
}
