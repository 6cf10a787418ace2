/**
 * The `emp-telemetry` CLI: the dispatcher, its command table and the pure renderers the commands
 * print. Importing this loads every renderer; the executable (`main.ts`) loads commands lazily.
 */
export { runCli, cliUsage } from "./run-cli.js";
export { cliCommands } from "./commands.js";
export type { CliCommandEntry } from "./commands.js";
export { cliExitCodes } from "./cli-command.js";
export type { CliCommand, CliIo, CliWritable } from "./cli-command.js";
export { collectorConfigDefaults, collectorResourceAttributes, renderCollectorConfig } from "../daemon-config/otel-collector/render-collector-config.js";
export type { CollectorConfigOptions, CollectorResourceAttribute } from "../daemon-config/otel-collector/render-collector-config.js";
export { fluentdConfigDefaults, fluentdLiteral, renderFluentdConfig } from "../daemon-config/fluentd/render-fluentd-config.js";
export type { FluentdConfigOptions } from "../daemon-config/fluentd/render-fluentd-config.js";
export { guessRecordFormat, ndjsonRules, validateNdjsonLine } from "./validate-records.js";
export type { LineViolation, RecordFormat } from "./validate-records.js";
export { formatValidateReport } from "./commands/validate.js";
export type { ValidateFileReport, ValidateReport } from "./commands/validate.js";
export { renderContractSummary } from "./commands/contract.js";
export { defaultFileTag, defaultFluentBitStateDir } from "./commands/fluent-bit-config.js";
export { renderYamlDocument, yamlString } from "../daemon-config/yaml.js";
export type { YamlValue } from "../daemon-config/yaml.js";
