import path from "node:path";
import { cliExitCodes, commandError, errorText, parseCommandArgs, usageError, type CliCommand } from "../cli-command.js";
import { renderFluentdConfig, type FluentdConfigOptions } from "../../daemon-config/fluentd/render-fluentd-config.js";

const usage = `usage: emp-telemetry fluentd-config [--bind ADDR] [--forward-port N] [--http-port N] [--monitor-port N]
                                    [--buffer-dir DIR] [--dash0-endpoint URL] [--dataset NAME] [--flush-interval S]

Prints a Fluentd 1.x aggregator configuration: forward input (24224, shared key from
FLUENTD_SHARED_KEY), http input (8888, body_size_limit 32m), monitor_agent (24220), and out_http
to Dash0 (Authorization: Bearer from DASH0_API_KEY, Dash0-Dataset) through a FILE buffer with
retries for 72 h; chunks that still fail, or that Dash0 refuses (401, 400), are written by
secondary_file to <buffer-dir>/failed instead of being dropped. Secrets are read by Fluentd from
its environment at startup (it refuses to start without them); their values are never written.

options:
  --bind ADDR           address the inputs bind (default 0.0.0.0)
  --forward-port N      forward input port (default 24224)
  --http-port N         http input port (default 8888)
  --monitor-port N      monitor_agent port (default 24220)
  --buffer-dir DIR      file buffer (DIR/dash0) and failed chunks (DIR/failed) (default /var/log/fluentd/buffer)
  --dash0-endpoint URL  full URL logs are posted to (default "#{ENV.fetch('DASH0_ENDPOINT')}/v1/logs")
  --dataset NAME        Dash0 dataset (default "default")
  --flush-interval S    seconds between flushes (default 1)
  -h, --help            this help
`;

function integer(value: string | undefined): number | undefined {
  return value === undefined ? undefined : /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
}

/** `emp-telemetry fluentd-config`: prints {@link renderFluentdConfig}. Exit 0, or 2 on bad arguments. */
export const fluentdConfigCommand: CliCommand = async (argv, io) => {
  const name = "fluentd-config";
  const parsed = await parseCommandArgs(
    name,
    argv,
    {
      bind: { type: "string" },
      "forward-port": { type: "string" },
      "http-port": { type: "string" },
      "monitor-port": { type: "string" },
      "buffer-dir": { type: "string" },
      "dash0-endpoint": { type: "string" },
      dataset: { type: "string" },
      "flush-interval": { type: "string" },
    },
    usage,
    io,
  );
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 0) return usageError(io, name, `unexpected argument ${positionals[0] ?? ""}`, usage);
  const options: FluentdConfigOptions = {
    ...(values.bind === undefined ? {} : { bind: values.bind }),
    ...(values["forward-port"] === undefined ? {} : { forwardPort: integer(values["forward-port"]) }),
    ...(values["http-port"] === undefined ? {} : { httpPort: integer(values["http-port"]) }),
    ...(values["monitor-port"] === undefined ? {} : { monitorPort: integer(values["monitor-port"]) }),
    ...(values["buffer-dir"] === undefined ? {} : { bufferDir: path.resolve(values["buffer-dir"]) }),
    ...(values["dash0-endpoint"] === undefined ? {} : { dash0LogsUrl: values["dash0-endpoint"] }),
    ...(values.dataset === undefined ? {} : { dataset: values.dataset }),
    ...(values["flush-interval"] === undefined ? {} : { flushIntervalSeconds: integer(values["flush-interval"]) }),
  };
  try {
    io.stdout.write(renderFluentdConfig(options));
    return cliExitCodes.ok;
  } catch (error: unknown) {
    return commandError(io, name, errorText(error));
  }
};
