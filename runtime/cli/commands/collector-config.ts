import path from "node:path";
import { cliExitCodes, commandError, errorText, parseCommandArgs, usageError, type CliCommand } from "../cli-command.js";
import { renderCollectorConfig, type CollectorConfigOptions } from "../../daemon-config/otel-collector/render-collector-config.js";

const usage = `usage: emp-telemetry collector-config [--dash0-endpoint URL] [--dataset NAME] [--listen ADDR] [--grpc-port N] [--http-port N]
                                      [--storage-dir DIR] [--per-machine]

Prints an OpenTelemetry Collector configuration (YAML): OTLP receiver (gRPC 4317, HTTP 4318),
memory_limiter, a resource processor that inserts (never overwrites) deployment.environment.name
from \${env:TELEMETRY_ENV}, batch, and an otlphttp exporter to Dash0 with
Authorization: Bearer \${env:DASH0_API_KEY} and Dash0-Dataset, for traces, logs and metrics.
The exporter's queue is kept on disk (file_storage extension, otelcol-contrib) and retried for
72 h, like fluentd-config's file buffer: an outage or a restart loses nothing queued.
Secrets are never written: the collector reads them from its environment when it starts.

options:
  --dash0-endpoint URL  Dash0 OTLP/HTTP base URL (default \${env:DASH0_ENDPOINT}, read by the collector)
  --dataset NAME        Dash0 dataset (default "default")
  --listen ADDR         address the receivers bind (default 0.0.0.0)
  --grpc-port N         OTLP/gRPC port (default 4317)
  --http-port N         OTLP/HTTP port (default 4318)
  --storage-dir DIR     the persistent queue's directory (default /var/lib/otelcol/file_storage)
  --per-machine         the collector serves one machine: also insert emp.machine.id from \${env:MACHINE_ID}
  -h, --help            this help
`;

function port(value: string | undefined): number | undefined {
  return value === undefined ? undefined : /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
}

/** `emp-telemetry collector-config`: prints {@link renderCollectorConfig}. Exit 0, or 2 on bad arguments. */
export const collectorConfigCommand: CliCommand = async (argv, io) => {
  const name = "collector-config";
  const parsed = await parseCommandArgs(
    name,
    argv,
    {
      "dash0-endpoint": { type: "string" },
      dataset: { type: "string" },
      listen: { type: "string" },
      "grpc-port": { type: "string" },
      "http-port": { type: "string" },
      "storage-dir": { type: "string" },
      "per-machine": { type: "boolean" },
    },
    usage,
    io,
  );
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 0) return usageError(io, name, `unexpected argument ${positionals[0] ?? ""}`, usage);
  const options: CollectorConfigOptions = {
    ...(values["dash0-endpoint"] === undefined ? {} : { dash0Endpoint: values["dash0-endpoint"] }),
    ...(values.dataset === undefined ? {} : { dataset: values.dataset }),
    ...(values.listen === undefined ? {} : { listen: values.listen }),
    ...(values["grpc-port"] === undefined ? {} : { grpcPort: port(values["grpc-port"]) }),
    ...(values["http-port"] === undefined ? {} : { httpPort: port(values["http-port"]) }),
    ...(values["storage-dir"] === undefined ? {} : { storageDir: path.resolve(values["storage-dir"]) }),
    perMachine: values["per-machine"] === true,
  };
  try {
    io.stdout.write(renderCollectorConfig(options));
    return cliExitCodes.ok;
  } catch (error: unknown) {
    return commandError(io, name, errorText(error));
  }
};
