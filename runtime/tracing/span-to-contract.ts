import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { SpanEvent, SpanStatus, StandardTraceSpan, ServiceMetadata, Value } from "../../generated/index.js";
import { buildSpanStatus, buildStandardTraceSpan } from "../../generated/emp/telemetry/v1/span_contract.js";
import { ownKeyCount } from "../records/own-key-count.js";
import type { Redaction } from "../records/redaction.js";
import type { RepairCounts } from "../records/repair.js";
import { safeData } from "../records/safe-data.js";
import { safeString } from "../records/safe-string.js";
import { packageName } from "../package/package-version.js";
import { hrTimeToNanos } from "./clock.js";

// Messages are never mutated once built, so what most spans share is built once: no attributes, no
// events, and the status of a span whose status was not set (or set OK) without a message.
const noAttributes: { [key: string]: Value } = Object.freeze({}) as { [key: string]: Value };
const noEvents = Object.freeze([]) as unknown as SpanEvent[];
const plainStatuses: readonly SpanStatus[] = [0, 1, 2].map((code) => Object.freeze(buildSpanStatus({ code })));

function statusOf(status: ReadableSpan["status"], counts: RepairCounts): SpanStatus {
  const code = Number(status.code);
  if ((status.message ?? "") === "" && plainStatuses[code] !== undefined) return plainStatuses[code]!;
  return buildSpanStatus({ code, message: safeString(status.message ?? "", counts, 8192) });
}

/** OTLP's kind of an OpenTelemetry SpanKind (INTERNAL = 0 → 1); anything else (a string such as `"__proto__"`) → internal, counted. */
function kindOf(kind: unknown, counts: RepairCounts): number {
  if (kind === 0 || kind === 1 || kind === 2 || kind === 3 || kind === 4) return kind + 1;
  counts.droppedValues++;
  return 1;
}

const ownScope = Object.freeze({});

/** The span's instrumentation scope, left empty (= this package) for the client's own tracer. */
function scopeOf(span: ReadableSpan, counts: RepairCounts): { scopeName?: string; scopeVersion?: string } {
  const scope = span.instrumentationScope as ReadableSpan["instrumentationScope"] | undefined;
  if (scope === undefined || scope.name === packageName || typeof scope.name !== "string") return ownScope;
  const version = typeof scope.version === "string" ? safeString(scope.version, counts, 128) : "";
  return { scopeName: safeString(scope.name, counts, 256), scopeVersion: version };
}

/**
 * The contract's StandardTraceSpan of a finished OpenTelemetry span, attributed to `service`, made
 * by the generated builder. Attribute values of any shape are made safe (and the repairs counted);
 * OpenTelemetry's SpanKind (INTERNAL = 0) moves to OTLP's numbering (INTERNAL = 1). Links are not
 * part of the contract. With a `redaction`, secret keys of the span's and events' attributes carry `"[redacted]"`.
 */
export function spanToContract(span: ReadableSpan, service: ServiceMetadata, counts: RepairCounts, redaction?: Redaction): StandardTraceSpan {
  const ctx = span.spanContext();
  const start = hrTimeToNanos(span.startTime);
  const end = hrTimeToNanos(span.endTime);
  return buildStandardTraceSpan({
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? "",
    name: safeString(span.name === "" ? "(unnamed)" : span.name, counts, 256),
    kind: kindOf(span.kind, counts),
    service,
    startTimeUnixNano: start,
    endTimeUnixNano: end < start ? start : end,
    status: statusOf(span.status, counts),
    attributes: ownKeyCount(span.attributes) === 0 ? noAttributes : safeData(span.attributes, counts, undefined, redaction),
    events:
      span.events.length === 0
        ? noEvents
        : span.events.slice(0, 128).map((e) => ({
            name: safeString(e.name === "" ? "(unnamed)" : e.name, counts, 256),
            timeUnixNano: hrTimeToNanos(e.time),
            attributes: safeData(e.attributes ?? {}, counts, undefined, redaction),
          })),
    ...scopeOf(span, counts),
  });
}
