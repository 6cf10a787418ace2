import type { ConnectivityReport } from "../../../generated/index.js";
import { cliExitCodes, errorText, parseCommandArgs, usageError, type CliCommand } from "../cli-command.js";

const usage = `usage: emp-telemetry doctor [--json] [--timeout-ms N] [--fluentd-monitor-url URL]
                            [--fluent-bit-url URL] [--collector-url URL] [--service URL]

Checks the telemetry pipeline from this machine's environment (the same variables services read:
SERVICE_NAME, SERVICE_TYPE, TELEMETRY_ENV, FLUENTD_*, OTEL_EXPORTER_OTLP_*, DASH0_*) and prints one
line per hop with its latency, and for each failing hop what went wrong and what to check.
With --service URL it asks a running service's TelemetryHealthService instead (its own view).
Exit 0 when every configured hop passes, 1 when one fails, 2 on bad configuration or arguments.
`;

/** `emp-telemetry doctor`: telemetry.test.connectivity() from the environment, as a hop table. */
export const doctorCommand: CliCommand = async (argv, io) => {
  const parsed = parseCommandArgs(
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
  const { formatConnectivityReport } = await import("../../diagnostics/format-connectivity-report.js");
  const { toJson } = await import("@bufbuild/protobuf");
  const { ConnectivityReportSchema } = await import("../../../generated/index.js");
  let report: ConnectivityReport | undefined;
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
      const config = resolveTelemetryConfig({}, io.env);
      report = await createPipelineTests(config, {
        ...(v["timeout-ms"] === undefined ? {} : { timeoutMs: Number(v["timeout-ms"]) }),
        ...(v["fluentd-monitor-url"] === undefined ? {} : { fluentdMonitorUrl: v["fluentd-monitor-url"] }),
        ...(v["fluent-bit-url"] === undefined ? {} : { fluentBitUrl: v["fluent-bit-url"] }),
        ...(v["collector-url"] === undefined ? {} : { collectorUrl: v["collector-url"] }),
      }).connectivity();
    }
  } catch (error: unknown) {
    return usageError(io, errorText(error), usage);
  }
  io.stdout.write(v.json === true ? `${JSON.stringify(toJson(ConnectivityReportSchema, report))}\n` : formatConnectivityReport(report));
  return report.ok ? cliExitCodes.ok : cliExitCodes.failed;
};
