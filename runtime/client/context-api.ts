import { context, propagation, ROOT_CONTEXT } from "@opentelemetry/api";

/** W3C trace context across process boundaries (job queues, HTTP, webhooks). */
export interface ContextApi {
  /** Writes the active trace context (`traceparent`, `tracestate`, `baggage`) into `carrier` and returns it. Never throws. */
  inject<C extends Record<string, unknown>>(carrier?: C): C & { traceparent?: string };
  /** Runs `fn` inside the trace context `carrier` holds (or a fresh root context when it holds none). */
  extract<T>(carrier: Readonly<Record<string, unknown>> | undefined, fn: () => T): T;
}

/** Creates the context API over OpenTelemetry's global propagator. */
export function createContextApi(): ContextApi {
  return {
    inject<C extends Record<string, unknown>>(carrier?: C) {
      const out = (carrier ?? {}) as C & { traceparent?: string };
      try {
        propagation.inject(context.active(), out);
      } catch {
        // a frozen carrier: nothing injected
      }
      return out;
    },
    extract(carrier, fn) {
      let ctx = ROOT_CONTEXT;
      try {
        if (carrier !== undefined && carrier !== null) ctx = propagation.extract(ROOT_CONTEXT, carrier);
      } catch {
        ctx = ROOT_CONTEXT;
      }
      return context.with(ctx, fn);
    },
  };
}
