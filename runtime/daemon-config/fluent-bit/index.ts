/** Fluent Bit configuration for `log.addFile`: tail our NDJSON files and ship them to Fluentd. */
export {
  fluentBitConfigDefaults,
  resolveFluentBitConfigInput,
} from "./fluent-bit-config-input.js";
export type {
  FluentBitConfigFormat,
  FluentBitConfigInput,
  FluentBitFileInput,
  FluentBitForwardTarget,
  FluentBitHttpTarget,
  FluentBitTarget,
  FluentBitTlsInput,
  ResolvedFluentBitConfig,
  ResolvedFluentBitFile,
} from "./fluent-bit-config-input.js";
export { fluentBitConfigHeader, renderFluentBitConfig, renderFluentBitParsers } from "./render-config.js";
export { fluentBitEnvironment, fluentBitTargetFromConfig } from "./fluent-bit-environment.js";
export { writeFluentBitConfig } from "./write-config.js";
export type { WriteFluentBitConfigOptions, WriteFluentBitConfigResult } from "./write-config.js";
export { readFluentBitReloadCount } from "./reload-count.js";
