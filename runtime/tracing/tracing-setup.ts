import { context, propagation, trace, type Tracer } from "@opentelemetry/api";
import type { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import type { ServiceMetadata } from "../../generated/index.js";
import { serviceMetadataToAttributes } from "../../generated/emp/telemetry/v1/service_contract.js";
import type { SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { packageName, packageVersion } from "../package/package-version.js";
import type { TracingConfig } from "../config/telemetry-config.js";
import { contextAsyncHooks, otelCore, otelResources, sdkTraceBase } from "./otel-sdk.js";
import { limitsFromConfig, samplerFromConfig } from "./tracer-settings.js";

/** What {@link createTracing} sets up. */
export interface Tracing {
  readonly provider: BasicTracerProvider;
  readonly tracer: Tracer;
  /** Whether this provider became the global one, so spans of any library join our traces. */
  readonly registeredGlobally: boolean;
}

let contextReady = false;

/**
 * Makes sure OpenTelemetry's context follows async work (AsyncLocalStorage) and that W3C trace
 * context and baggage propagate: once per process, keeping what the application set up itself.
 */
export function ensureGlobalContext(): void {
  if (contextReady) return;
  contextReady = true;
  const manager = new contextAsyncHooks.AsyncLocalStorageContextManager();
  manager.enable();
  if (!context.setGlobalContextManager(manager)) manager.disable();
  propagation.setGlobalPropagator(
    new otelCore.CompositePropagator({ propagators: [new otelCore.W3CTraceContextPropagator(), new otelCore.W3CBaggagePropagator()] }),
  );
}

/**
 * A real OpenTelemetry TracerProvider whose resource is the service's contract metadata and whose
 * only span processor is ours. With `registerGlobal` it also becomes the global provider (when no
 * other one was registered), so spans made through `@opentelemetry/api` by any library join.
 * `settings` gives the sampler, the span limits and the extra resource attributes
 * (`OTEL_RESOURCE_ATTRIBUTES`, under ours); without it, OTel's defaults.
 */
export function createTracing(
  service: ServiceMetadata,
  processor: SpanProcessor,
  registerGlobal: boolean,
  settings?: { readonly tracing: TracingConfig; readonly resourceAttributes: Readonly<Record<string, string>> },
): Tracing {
  ensureGlobalContext();
  // Service metadata attributes are all strings (names and ids).
  const own = Object.fromEntries(Object.entries(serviceMetadataToAttributes(service)).map(([k, v]) => [k, String(v)]));
  const resource = otelResources.resourceFromAttributes({ ...settings?.resourceAttributes, ...own });
  const configured = settings === undefined ? {} : { sampler: samplerFromConfig(settings.tracing), ...limitsFromConfig(settings.tracing) };
  const provider = new sdkTraceBase.BasicTracerProvider({ resource, spanProcessors: [processor], ...configured });
  const registeredGlobally = registerGlobal && trace.setGlobalTracerProvider(provider);
  return { provider, tracer: provider.getTracer(packageName, packageVersion), registeredGlobally };
}
