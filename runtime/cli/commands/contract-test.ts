import { cliExitCodes, parseCommandArgs, usageError, type CliCommand } from "../cli-command.js";

const usage = `usage: emp-telemetry contract-test [--json] [--timeout-ms N] -- <command> [args...]

Starts the local collector on free ports, runs <command> with the environment pointing at it
(FLUENTD_HOST/FLUENTD_PORT, OTEL_EXPORTER_OTLP_ENDPOINT and the logs endpoint, TELEMETRY_ENV), and
checks every record received on every wire: contract validation, service attribution, required keys
per service type, trace/log correlation, and no keys outside the contract's namespaces (contract keys,
semantic-convention namespaces, app.*). Prints a per-service summary; exit 1 on any finding.
`;

/** `emp-telemetry contract-test -- <command>`: the contract test a service runs in its CI. */
export const contractTestCommand: CliCommand = async (argv, io) => {
  const dash = argv.indexOf("--");
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const command = dash < 0 ? [] : argv.slice(dash + 1);
  const parsed = parseCommandArgs(own, { json: { type: "boolean" }, "timeout-ms": { type: "string" } } as const, usage, io);
  if (typeof parsed === "number") return parsed;
  if (command.length === 0) return usageError(io, "give the command to run after --", usage);
  const { formatContractTestReport, runContractTest } = await import("../../contract-test/contract-test.js");
  const report = await runContractTest({ command, timeoutMs: Number(parsed.values["timeout-ms"] ?? 120_000) });
  io.stdout.write(parsed.values.json === true ? `${JSON.stringify(report)}\n` : formatContractTestReport(report));
  return report.ok ? cliExitCodes.ok : cliExitCodes.failed;
};
