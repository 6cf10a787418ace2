// A client wired to test receivers on 127.0.0.1: a forward receiver (Fluentd) and an OTLP/HTTP
// receiver (traces and logs), both decoding with independent decoders.
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import type { EmpTelemetryClientOptions } from "../../runtime/client/client-options.js";
import { eventTimeOf, type ForwardReceiver, startForwardReceiver } from "./forward-receiver.js";
import { attributesOf, hex, type OtlpReceiver, startOtlpReceiver } from "./otlp-receiver.js";

/** A client plus the receivers it talks to. */
export interface Harness {
  readonly client: EmpTelemetryClient;
  readonly fluentd: ForwardReceiver;
  readonly otlp: OtlpReceiver;
  /** Flushes the client and returns every Fluentd record received so far, with its EventTime. */
  fluentRecords(): Promise<Array<Record<string, unknown> & { __time: [number, number]; __tag: string }>>;
  /** Flushes the client and returns every span received, flattened with its resource attributes. */
  spans(): Promise<DecodedSpan[]>;
  /** Flushes the client and returns every OTLP log record received. */
  otlpLogs(): Promise<DecodedLog[]>;
  close(): Promise<void>;
}

export interface DecodedSpan {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly kind: number;
  readonly status: { code: number; message: string };
  readonly attributes: Record<string, unknown>;
  readonly resource: Record<string, unknown>;
  readonly events: { name: string; attributes: Record<string, unknown> }[];
  readonly durationNanos: bigint;
}

export interface DecodedLog {
  readonly body: unknown;
  readonly severityText: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Record<string, unknown>;
  readonly resource: Record<string, unknown>;
}

/** Receivers a harness's client talks to; several harnesses (services) may share them. */
export interface Receivers {
  readonly fluentd: ForwardReceiver;
  readonly otlp: OtlpReceiver;
}

/**
 * Starts a client pointed at `receivers` (started here when not given; then closed with the
 * harness). No environment, no exit hooks, not the global provider.
 */
export async function startHarness(options: EmpTelemetryClientOptions, receivers?: Receivers): Promise<Harness> {
  const own = receivers === undefined;
  const fluentd = receivers?.fluentd ?? (await startForwardReceiver());
  const otlp = receivers?.otlp ?? (await startOtlpReceiver());
  const client = new EmpTelemetryClient({
    env: {},
    handleExitSignals: false,
    registerGlobal: false,
    environment: "test",
    fluentd: { host: "127.0.0.1", port: fluentd.port },
    otlp: { endpoint: otlp.url(""), logs: true },
    ...options,
  });
  const flush = async (): Promise<void> => {
    await client.flush(5000);
  };
  return {
    client,
    fluentd,
    otlp,
    async fluentRecords() {
      await flush();
      return fluentd.frames.flatMap((f) => f.entries.map(([t, r]) => ({ ...r, __time: eventTimeOf(t), __tag: f.tag })));
    },
    async spans() {
      await flush();
      return otlp.traces().flatMap((req) =>
        req.resourceSpans.flatMap((rs) =>
          rs.scopeSpans.flatMap((ss) =>
            ss.spans.map((s) => ({
              name: s.name,
              traceId: hex(s.traceId),
              spanId: hex(s.spanId),
              parentSpanId: hex(s.parentSpanId),
              kind: s.kind,
              status: { code: s.status?.code ?? 0, message: s.status?.message ?? "" },
              attributes: attributesOf(s.attributes),
              resource: attributesOf(rs.resource?.attributes),
              events: s.events.map((e) => ({ name: e.name, attributes: attributesOf(e.attributes) })),
              durationNanos: s.endTimeUnixNano - s.startTimeUnixNano,
            })),
          ),
        ),
      );
    },
    async otlpLogs() {
      await flush();
      return otlp.logs().flatMap((req) =>
        req.resourceLogs.flatMap((rl) =>
          rl.scopeLogs.flatMap((sl) =>
            sl.logRecords.map((l) => ({
              body: l.body?.value.value,
              severityText: l.severityText,
              traceId: hex(l.traceId),
              spanId: hex(l.spanId),
              attributes: attributesOf(l.attributes),
              resource: attributesOf(rl.resource?.attributes),
            })),
          ),
        ),
      );
    },
    async close() {
      await client.shutdown(2000);
      if (own) {
        await fluentd.close();
        await otlp.close();
      }
    },
  };
}
