export { TelemetryError } from "./telemetry-error.js";
export type { TelemetryErrorCode } from "./telemetry-error.js";
export { TelemetryConfigError, formatConfigProblem, formatOptionProblem } from "./telemetry-config-error.js";
export type { ConfigProblem } from "./telemetry-config-error.js";
export { MissingDependencyError } from "./missing-dependency-error.js";
