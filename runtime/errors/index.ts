export { TelemetryError } from "./telemetry-error.js";
export type { TelemetryErrorCode } from "./telemetry-error.js";
