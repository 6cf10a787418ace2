import { propagation, trace, type Tracer } from "@opentelemetry/api";
import { packageName, packageVersion } from "../package/package-version.js";
import type { TracingConfig } from "../config/telemetry-config.js";
import type { FinishedSpanProcessor } from "./lean-span.js";
import { LeanTracerProvider } from "./lean-tracer.js";
import { CompositePropagator } from "./composite-propagator.js";
import { OwnContextManager } from "./context-storage.js";
import { limitsFromConfig, samplerFromConfig } from "./tracer-settings.js";
import { W3CBaggagePropagator } from "./w3c-baggage-propagator.js";
import { W3CTraceContextPropagator } from "./w3c-trace-context-propagator.js";

/** What {@link createTracing} sets up. */
export interface Tracing {
  readonly provider: LeanTracerProvider;
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
  new OwnContextManager().register();
  propagation.setGlobalPropagator(new CompositePropagator([new W3CTraceContextPropagator(), new W3CBaggagePropagator()]));
}

/**
 * Our TracerProvider ({@link LeanTracerProvider}), whose only span processor is `processor`. With
 * `registerGlobal` it also becomes the global provider (when no other one was registered), so spans
 * made through `@opentelemetry/api` by any library join. `settings` gives the sampler and the span
 * limits; without it, OTel's defaults. (The resource, `OTEL_RESOURCE_ATTRIBUTES` included, is the
 * span sink's: spans carry the service's contract metadata.)
 */
export function createTracing(processor: FinishedSpanProcessor, registerGlobal: boolean, settings?: { readonly tracing: TracingConfig }): Tracing {
  ensureGlobalContext();
  const provider = new LeanTracerProvider(processor, samplerFromConfig(settings?.tracing), limitsFromConfig(settings?.tracing));
  const registeredGlobally = registerGlobal && trace.setGlobalTracerProvider(provider);
  return { provider, tracer: provider.getTracer(packageName, packageVersion), registeredGlobally };
}
