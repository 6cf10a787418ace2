import { cliExitCodes, errorText, parseCommandArgs, usageError, type CliCommand } from "../cli-command.js";
import { devLimitFlags, devLimitFlagsHelp, devLimitOptions } from "../dev-limit-flags.js";

const usage = `usage: emp-telemetry dev [--json] [--data-dir DIR] [--forward-port N] [--http-port N]
                         [--otlp-http-port N] [--otlp-grpc-port N] [--dash0-port N] [--status-port N]
                         [--shared-key-env NAME] [--dash0-token-env NAME] [limits: --max-body-bytes N …]

Runs the local collector on 127.0.0.1 until SIGINT/SIGTERM: Fluentd forward input (ack, optional
shared key), Fluentd in_http input, OTLP/HTTP (protobuf and JSON), OTLP/gRPC, a Dash0 stand-in that
checks the Bearer token and dataset, NDJSON storage, a live contract check and a live page.
Defaults: forward 24224, in_http 8888, OTLP/HTTP 4318, OTLP/gRPC 4317, Dash0 4319, status 4320;
0 picks a free port. The shared key and Dash0 token are read from the environment variables named
(default FLUENTD_SHARED_KEY, DASH0_API_KEY), never from arguments.

Every record it receives is printed as it arrives, one line each: logs as the client's pretty
console output prints them (time, level, service, message, key=value fields, trace), spans with
their duration, then the input it came by and any contract violation (colours on a terminal, off
with NO_COLOR); --json prints them as JSON lines instead, --quiet not at all.

options:
  --json                  print the collector's status as JSON once it is up (ports included), then
                          each record as one JSON line (as logs.ndjson / spans.ndjson store it)
  --quiet                 print no records (the status and the live page still show them)
  --data-dir DIR          store the records as NDJSON in DIR (logs.ndjson, spans.ndjson; default: not stored)
  --forward-port N        Fluentd forward input (default 24224)
  --http-port N           Fluentd in_http input (default 8888)
  --otlp-http-port N      OTLP/HTTP input (default 4318)
  --otlp-grpc-port N      OTLP/gRPC input (default 4317)
  --dash0-port N          Dash0 stand-in (default 4319)
  --status-port N         live page and status API (default 4320)
  --shared-key-env NAME   variable holding the forward shared key (default FLUENTD_SHARED_KEY)
  --dash0-token-env NAME  variable holding the Dash0 token (default DASH0_API_KEY)
  -h, --help              this help

limits (each refused request or connection is counted in the status API; see CollectorOptions):
${devLimitFlagsHelp()}
`;

const portOptions = ["forward-port", "http-port", "otlp-http-port", "otlp-grpc-port", "dash0-port", "status-port"] as const;

/**
 * `emp-telemetry dev`: the local collector, until a signal, printing each record it receives
 * ({@link devRecordLine}; JSON lines with `--json`, none with `--quiet`). Exit 0 on a clean stop,
 * 2 on bad arguments.
 */
export const devCommand: CliCommand = async (argv, io) => {
  const parsed = await parseCommandArgs(
    "dev",
    argv,
    {
      json: { type: "boolean" },
      quiet: { type: "boolean" },
      "data-dir": { type: "string" },
      "shared-key-env": { type: "string" },
      "dash0-token-env": { type: "string" },
      ...Object.fromEntries([...portOptions, ...Object.keys(devLimitFlags)].map((p) => [p, { type: "string" }])),
    } as const,
    usage,
    io,
  );
  if (typeof parsed === "number") return parsed;
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const port = (name: string): number | undefined => (values[name] === undefined ? undefined : Number(values[name]));
  const sharedKey = io.env[String(values["shared-key-env"] ?? "FLUENTD_SHARED_KEY")];
  const dash0Token = io.env[String(values["dash0-token-env"] ?? "DASH0_API_KEY")];
  const limits = devLimitOptions(values);
  if (limits.problems.length > 0) {
    // Every problem at once: the flags that are no numbers, and the collector's check of the others.
    const { resolveCollectorOptions } = await import("../../collector/collector-options.js");
    const others: string[] = [];
    try {
      resolveCollectorOptions(limits.options);
    } catch (error: unknown) {
      others.push(errorText(error));
    }
    return usageError(io, "dev", [...limits.problems, ...others].join("; "), usage);
  }
  const { startCollector } = await import("../../collector/collector.js");
  let collector: Awaited<ReturnType<typeof startCollector>>;
  try {
    collector = await startCollector({
      ...limits.options,
      ...(values["data-dir"] === undefined ? {} : { dataDir: String(values["data-dir"]) }),
      forwardPort: port("forward-port"),
      httpPort: port("http-port"),
      otlpHttpPort: port("otlp-http-port"),
      otlpGrpcPort: port("otlp-grpc-port"),
      dash0Port: port("dash0-port"),
      statusPort: port("status-port"),
      ...(sharedKey === undefined || sharedKey === "" ? {} : { sharedKey }),
      ...(dash0Token === undefined || dash0Token === "" ? {} : { dash0Token }),
    });
  } catch (error: unknown) {
    return usageError(io, "dev", errorText(error), usage);
  }
  // Listening for the stop signal before anything is printed: whoever reads the banner may signal at once.
  const stopped = new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  let stopPrinting = (): void => undefined;
  if (values.quiet !== true) {
    const { devRecordLine } = await import("../dev-record-line.js");
    const colors = (io.stdout as { isTTY?: boolean }).isTTY === true && (io.env.NO_COLOR ?? "") === "";
    stopPrinting = collector.onRecord((r) => void io.stdout.write(`${values.json === true ? JSON.stringify(r) : devRecordLine(r, { colors })}\n`));
  }
  const p = collector.ports;
  if (values.json === true) io.stdout.write(`${JSON.stringify(collector.status())}\n`);
  else {
    io.stdout.write(
      "emp-telemetry dev: local collector on 127.0.0.1\n" +
        `  forward  ${p.forward}${collector.status().sharedKeyRequired ? " (shared key)" : ""}\n` +
        `  in_http  ${p.http}\n  OTLP/HTTP ${p.otlpHttp}\n  OTLP/gRPC ${p.otlpGrpc}\n  Dash0    ${p.dash0}\n` +
        `  live page http://127.0.0.1:${p.status}/\n` +
        `Point services at it: FLUENTD_HOST=127.0.0.1 FLUENTD_PORT=${p.forward} OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${p.otlpHttp}\n` +
        `  (with their SERVICE_NAME, SERVICE_TYPE and TELEMETRY_ENV=dev; \`emp-telemetry doctor\` with the same variables checks the path)\n` +
        `${values.quiet === true ? "" : "Records as they arrive (--quiet: none):\n"}`,
    );
  }
  await stopped;
  stopPrinting();
  await collector.close();
  return cliExitCodes.ok;
};
