import { TelemetryConfigError } from "../../runtime/errors/telemetry-config-error.js";
import { resolveTelemetryConfig } from "../../runtime/config/resolve-config.js";
import type { TelemetryConfigOptions } from "../../runtime/config/telemetry-config.js";

/** The smallest valid environment: an api service. */
export const apiEnv: Readonly<Record<string, string>> = Object.freeze({
  SERVICE_NAME: "api-server",
  SERVICE_TYPE: "api",
  TELEMETRY_ENV: "production",
});

/** The error `resolveTelemetryConfig` throws for these inputs; fails the test if it does not throw one. */
export function configErrorOf(options: TelemetryConfigOptions, env: Record<string, string | undefined>): TelemetryConfigError {
  try {
    resolveTelemetryConfig(options, env);
  } catch (error) {
    if (error instanceof TelemetryConfigError) return error;
    throw error;
  }
  throw new Error("expected a TelemetryConfigError, but the configuration resolved");
}
