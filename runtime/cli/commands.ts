import type { CliCommand } from "./cli-command.js";

/** One row of {@link cliCommands}: the command's name, its one-line summary and how to load it. */
export interface CliCommandEntry {
  /** What users type: `emp-telemetry <name>`. */
  readonly name: string;
  /** One line for the top-level usage. */
  readonly summary: string;
  /** Imports the command's module, only when the command runs (so `--help` loads none of them). */
  readonly load: () => Promise<CliCommand>;
}

/**
 * Every command of `emp-telemetry`, in the order the usage lists them. Adding a command is one row
 * here: its module exports a {@link CliCommand} and is imported dynamically by `load`.
 */
export const cliCommands: readonly CliCommandEntry[] = Object.freeze(
  [
    {
      name: "dev",
      summary: "run the local collector (forward, in_http, OTLP/HTTP+gRPC, Dash0 stand-in, live page)",
      load: async () => (await import("./commands/dev.js")).devCommand,
    },
    {
      name: "doctor",
      summary: "check the pipeline from the environment (or a service's health service) and print a hop table",
      load: async () => (await import("./commands/doctor.js")).doctorCommand,
    },
    {
      name: "contract-test",
      summary: "run a command against the local collector and check every record against the contract",
      load: async () => (await import("./commands/contract-test.js")).contractTestCommand,
    },
    {
      name: "fluent-bit-config",
      summary: "print the Fluent Bit config that tails files and ships them to Fluentd (target from FLUENTD_*)",
      load: async () => (await import("./commands/fluent-bit-config.js")).fluentBitConfigCommand,
    },
    {
      name: "fluentd-config",
      summary: "print a Fluentd aggregator config: forward + in_http in, Dash0 out, file buffer",
      load: async () => (await import("./commands/fluentd-config.js")).fluentdConfigCommand,
    },
    {
      name: "collector-config",
      summary: "print an OpenTelemetry Collector config: OTLP in, Dash0 out",
      load: async () => (await import("./commands/collector-config.js")).collectorConfigCommand,
    },
    {
      name: "validate",
      summary: "check NDJSON records (Fluentd records, protobuf JSON, the local collector's files) against the contract",
      load: async () => (await import("./commands/validate.js")).validateCommand,
    },
    {
      name: "check",
      summary: "check a project's telemetry calls (event names, alias keys, secrets, floating spans)",
      load: async () => (await import("./commands/check.js")).checkCommand,
    },
    {
      name: "contract",
      summary: "print the contract: every record's fields and their keys on each target",
      load: async () => (await import("./commands/contract.js")).contractCommand,
    },
  ].map((entry) => Object.freeze(entry)),
);
