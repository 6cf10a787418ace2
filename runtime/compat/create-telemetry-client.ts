import type { EmpTelemetryClientOptions } from "../client/client-options.js";
import { EmpTelemetryClient } from "../client/emp-telemetry-client.js";
import { legacyNoticeOf } from "../client/legacy-notices.js";
import { TelemetryConfig } from "../config/telemetry-config-class.js";
import { serviceTypes, type ServiceType } from "../config/service-defaults.js";
import { TelemetryConfigError } from "../errors/telemetry-config-error.js";

/**
 * The existing client's object form: `createTelemetryClient({ serviceName, serviceVersion,
 * collectorEndpoint, environment })`. `collectorEndpoint` is the OTLP/HTTP endpoint (base URL, or
 * a URL ending in `/v1/traces`); everything else comes from the environment as for
 * `new EmpTelemetryClient(...)`.
 */
export interface LegacyClientConfig {
  serviceName: string;
  serviceVersion?: string;
  environment?: string;
  collectorEndpoint?: string;
}

const legacyKeys: ReadonlySet<string> = new Set(["serviceName", "serviceVersion", "environment", "collectorEndpoint"]);

/** Whether `value` is the existing client's object form: only its keys, `serviceName` among them. */
function isLegacyConfig(value: object): value is LegacyClientConfig {
  const keys = Object.keys(value);
  return keys.includes("serviceName") && keys.every((key) => legacyKeys.has(key));
}

/** Our options for the existing client's object form. */
function optionsOfLegacy(config: LegacyClientConfig): EmpTelemetryClientOptions {
  const { collectorEndpoint, ...rest } = config;
  if (collectorEndpoint === undefined) return rest;
  const traces = /\/v1\/traces\/?$/.test(collectorEndpoint);
  return { ...rest, otlp: traces ? { tracesEndpoint: collectorEndpoint } : { endpoint: collectorEndpoint } };
}

/** The service type a name suggests (`emp-webhook` → `webhook`), else `api`: the existing object form names no type. */
function serviceTypeOfName(name: string): ServiceType {
  return serviceTypes.find((type) => name.toLowerCase().includes(type)) ?? "api";
}

/** Whether construction failed only for want of a service type. */
function onlyTypeMissing(error: unknown): boolean {
  return (
    error instanceof TelemetryConfigError && error.problems.length === 1 && error.problems[0]?.key === "SERVICE_TYPE" && error.problems[0].value === undefined
  );
}

/** A client for the existing object form: with `SERVICE_TYPE` when set, else the type the name suggests. */
function legacyObjectClient(config: LegacyClientConfig): EmpTelemetryClient {
  const options = optionsOfLegacy(config);
  try {
    return new EmpTelemetryClient(options);
  } catch (error: unknown) {
    if (!onlyTypeMissing(error) || typeof config.serviceName !== "string") throw error;
    return new EmpTelemetryClient({ ...options, serviceType: serviceTypeOfName(config.serviceName) });
  }
}

/**
 * The existing client's factory, mapped onto {@link EmpTelemetryClient}:
 * - `createTelemetryClient('api' | 'webhook' | 'machine' | 'worker')`: that service type's defaults,
 *   everything else from the environment (= `new EmpTelemetryClient({ serviceType })`).
 * - `createTelemetryClient({ serviceName, serviceVersion, collectorEndpoint, environment })`: the
 *   existing object form; `collectorEndpoint` is the OTLP endpoint; the type is `SERVICE_TYPE`, else
 *   the one the name contains (`emp-webhook` → `webhook`), else `api`.
 * - `createTelemetryClient(new TelemetryConfig(...))` or any `EmpTelemetryClientOptions`: as `new EmpTelemetryClient(...)`.
 *
 * In debug mode the client says once which call this maps to.
 * @throws TelemetryConfigError naming every problem of the options and the environment (as the constructor).
 */
export function createTelemetryClient(
  serviceTypeOrOptions: ServiceType | LegacyClientConfig | EmpTelemetryClientOptions | TelemetryConfig = {},
): EmpTelemetryClient {
  if (typeof serviceTypeOrOptions === "string") {
    const client = new EmpTelemetryClient({ serviceType: serviceTypeOrOptions });
    legacyNoticeOf(client)(`createTelemetryClient("${serviceTypeOrOptions}")`, `new EmpTelemetryClient({ serviceType: "${serviceTypeOrOptions}" })`);
    return client;
  }
  if (serviceTypeOrOptions instanceof TelemetryConfig) return new EmpTelemetryClient(serviceTypeOrOptions);
  if (typeof serviceTypeOrOptions === "object" && serviceTypeOrOptions !== null && isLegacyConfig(serviceTypeOrOptions)) {
    const client = legacyObjectClient(serviceTypeOrOptions);
    legacyNoticeOf(client)(
      "createTelemetryClient({ serviceName, serviceVersion, collectorEndpoint, environment })",
      "new EmpTelemetryClient({ serviceName, serviceType, serviceVersion, environment, otlp: { endpoint } })",
    );
    return client;
  }
  return new EmpTelemetryClient(serviceTypeOrOptions);
}
