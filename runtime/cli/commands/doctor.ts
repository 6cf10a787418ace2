import type { ConnectivityReport } from "../../../generated/index.js";
import { cliExitCodes, errorText, parseCommandArgs, usageError, type CliCommand, type CliIo } from "../cli-command.js";

const usage = `usage: emp-telemetry doctor [--json] [--timeout-ms N] [--fluentd-monitor-url URL]
                            [--fluent-bit-url URL] [--collector-url URL] [--service URL]

Checks the telemetry pipeline from this machine's environment (the same variables services read:
SERVICE_NAME, SERVICE_TYPE, TELEMETRY_ENV, FLUENTD_*, OTEL_EXPORTER_OTLP_*, DASH0_*) and prints one
line per hop with its latency, and for each failing hop what went wrong and what to check.
Service identity is not needed (doctor is a check, not a service): SERVICE_NAME, SERVICE_TYPE and
TELEMETRY_ENV are used when set, else emp-telemetry-doctor, api and doctor.
With --service URL it asks a running service's TelemetryHealthService instead (its own view).
A service name every service shares (SERVICE_NAME=emp-service) is flagged under "service identity", and
with --collector-url so is each name the collector sees from several service types or machines.

status: ok = the probe was seen passing the hop; accepted only = the hop took the probe (ack, 2xx)
but nothing further could be observed, e.g. without --fluentd-monitor-url Fluentd's onward delivery;
FAILED = the hop refused or did not answer (what went wrong and what to check follow the table).

options:
  --json                     the report as JSON (protobuf JSON of ConnectivityReport)
  --timeout-ms N             deadline of the whole check (default 5000; 15000 with --service)
  --fluentd-monitor-url URL  Fluentd's monitor_agent, to see its outputs retrying (e.g. http://fluentd:24220)
  --fluent-bit-url URL       Fluent Bit's HTTP server, for the end-to-end hop through it
  --collector-url URL        the local collector's status API, for the end-to-end hop through it
  --service URL              ask this running service's health service instead of the environment
  -h, --help                 this help

exit: 0 every configured hop passes, 1 one fails, 2 bad configuration or arguments
`;

/** Shown under the hop table when a hop's status is "accepted only". */
export const acceptedOnlyLegend =
  "accepted only: the hop took the probe (ack or 2xx) but could not show it went further; " +
  "pass --fluentd-monitor-url, --fluent-bit-url or --collector-url to follow it";

/** Service identity for the check when the environment has none (doctor is no service). */
const doctorIdentity: Readonly<Record<string, string>> = { SERVICE_NAME: "emp-telemetry-doctor", SERVICE_TYPE: "api", TELEMETRY_ENV: "doctor" };

/** `env` with {@link doctorIdentity} for each identity variable neither it nor one of its aliases sets. */
async function withIdentity(env: CliIo["env"]): Promise<Record<string, string | undefined>> {
  const { telemetryConfigEnv } = await import("../../config/env-table.js");
  const out: Record<string, string | undefined> = { ...env };
  for (const [name, value] of Object.entries(doctorIdentity)) {
    const names = [name, ...telemetryConfigEnv[name as keyof typeof telemetryConfigEnv].aliases.map((a) => a.name)];
    if (names.every((n) => (env[n] ?? "").trim() === "")) out[name] = value;
  }
  return out;
}

/** `emp-telemetry doctor`: telemetry.test.connectivity() from the environment, as a hop table. */
export const doctorCommand: CliCommand = async (argv, io) => {
  const parsed = await parseCommandArgs(
    "doctor",
    argv,
    {
      json: { type: "boolean" },
      "timeout-ms": { type: "string" },
      "fluentd-monitor-url": { type: "string" },
      "fluent-bit-url": { type: "string" },
      "collector-url": { type: "string" },
      service: { type: "string" },
    } as const,
    usage,
    io,
  );
  if (typeof parsed === "number") return parsed;
  const v = parsed.values;
  const { formatConnectivityReport, hopsOf } = await import("../../diagnostics/format-connectivity-report.js");
  const { toJson } = await import("@bufbuild/protobuf");
  const { ConnectivityReportSchema } = await import("../../../generated/index.js");
  let report: ConnectivityReport | undefined;
  const identity: string[] = [];
  try {
    if (v.service !== undefined) {
      const { loadConnect, loadConnectNode } = await import("../../package/optional-dependencies.js");
      const { createClient } = await loadConnect();
      const { createConnectTransport } = await loadConnectNode();
      const { TelemetryHealthService } = await import("../../../generated/index.js");
      const rpc = createClient(TelemetryHealthService, createConnectTransport({ baseUrl: v.service, httpVersion: "1.1" }));
      report = (await rpc.runCheck({}, { timeoutMs: Number(v["timeout-ms"] ?? 15_000) })).report;
      if (report === undefined) throw new Error("the service returned no report");
    } else {
      const { resolveTelemetryConfig } = await import("../../config/resolve-config.js");
      const { createPipelineTests } = await import("../../diagnostics/pipeline-tests.js");
      const config = resolveTelemetryConfig({}, await withIdentity(io.env));
      const { sharedNameLines } = await import("../doctor-identity.js");
      identity.push(...sharedNameLines(config));
      report = await createPipelineTests(config, {
        ...(v["timeout-ms"] === undefined ? {} : { timeoutMs: Number(v["timeout-ms"]) }),
        ...(v["fluentd-monitor-url"] === undefined ? {} : { fluentdMonitorUrl: v["fluentd-monitor-url"] }),
        ...(v["fluent-bit-url"] === undefined ? {} : { fluentBitUrl: v["fluent-bit-url"] }),
        ...(v["collector-url"] === undefined ? {} : { collectorUrl: v["collector-url"] }),
      }).connectivity();
    }
  } catch (error: unknown) {
    return usageError(io, "doctor", errorText(error), usage);
  }
  const legend = hopsOf(report).some((h) => h.hop.ok && h.hop.acceptedOnly) ? `\n${acceptedOnlyLegend}\n` : "";
  const { collectorCollisionLines, identitySection } = await import("../doctor-identity.js");
  if (v["collector-url"] !== undefined) identity.push(...(await collectorCollisionLines(v["collector-url"])));
  if (v.json === true) {
    io.stdout.write(`${JSON.stringify(toJson(ConnectivityReportSchema, report))}\n`);
    for (const line of identity) io.stderr.write(`emp-telemetry doctor: warning: ${line}\n`);
  } else io.stdout.write(formatConnectivityReport(report) + legend + identitySection(identity));
  return report.ok ? cliExitCodes.ok : cliExitCodes.failed;
};
