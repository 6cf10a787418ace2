import { cliExitCodes, parseCommandArgs, usageError, type CliCommand } from "../cli-command.js";

const usage = `usage: emp-telemetry contract-test [--json] [--timeout-ms N] -- <command> [args...]

Starts the local collector on free ports, runs <command> with the environment pointing at it
(FLUENTD_HOST/FLUENTD_PORT, OTEL_EXPORTER_OTLP_ENDPOINT and the logs endpoint, TELEMETRY_ENV), and
checks every record received on every wire: contract validation, service attribution, required keys
per service type, trace/log correlation, and no keys outside the contract's namespaces (contract keys,
semantic-convention namespaces, app.*, and undotted keys of the service's own). Prints a
per-service summary, then the findings grouped by rule and key with their counts.

options:
  --json          the report as JSON (findings one by one, and grouped)
  --timeout-ms N  longest the command may run before it is killed (default 120000)
  -h, --help      this help

exit: 0 every record passed, 1 findings (or the command failed, or sent nothing), 2 bad arguments
`;

/** `emp-telemetry contract-test -- <command>`: the contract test a service runs in its CI. */
export const contractTestCommand: CliCommand = async (argv, io) => {
  const dash = argv.indexOf("--");
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const command = dash < 0 ? [] : argv.slice(dash + 1);
  const parsed = await parseCommandArgs("contract-test", own, { json: { type: "boolean" }, "timeout-ms": { type: "string" } } as const, usage, io);
  if (typeof parsed === "number") return parsed;
  const timeoutMs = Number(parsed.values["timeout-ms"] ?? 120_000);
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0)
    return usageError(io, "contract-test", `--timeout-ms must be a positive integer, got ${JSON.stringify(parsed.values["timeout-ms"])}`, usage);
  if (command.length === 0) return usageError(io, "contract-test", "give the command to run after --", usage);
  const { formatContractTestReport, runContractTest } = await import("../../contract-test/contract-test.js");
  const report = await runContractTest({ command, timeoutMs });
  io.stdout.write(parsed.values.json === true ? `${JSON.stringify(report)}\n` : formatContractTestReport(report));
  return report.ok ? cliExitCodes.ok : cliExitCodes.failed;
};
