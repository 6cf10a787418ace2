import type { SpanStatus as OtelSpanStatus } from "@opentelemetry/api";
import type { SpanEvent, SpanStatus, StandardTraceSpan, ServiceMetadata, Value } from "../../generated/index.js";
import { buildSpanStatus, buildStandardTraceSpan } from "../../generated/emp/telemetry/v1/span_contract.js";
import { ownKeyCount } from "../records/own-key-count.js";
import type { Redaction } from "../records/redaction.js";
import type { RepairCounts } from "../records/repair.js";
import { safeData } from "../records/safe-data.js";
import { safeString } from "../records/safe-string.js";
import { packageName } from "../package/package-version.js";
import type { FinishedSpan } from "./lean-span.js";

// Messages are never mutated once built, so what most spans share is built once: no attributes, no
// events, and the status of a span whose status was not set (or set OK) without a message.
const noAttributes: { [key: string]: Value } = Object.freeze({}) as { [key: string]: Value };
const noEvents = Object.freeze([]) as unknown as SpanEvent[];
const plainStatuses: readonly SpanStatus[] = [0, 1, 2].map((code) => Object.freeze(buildSpanStatus({ code })));

function statusOf(status: OtelSpanStatus | undefined, counts: RepairCounts): SpanStatus {
  if (status === undefined) return plainStatuses[0]!;
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

/** Whether a span's instrumentation scope is this package's (the client's own tracer), written as none (empty). */
function isOwnScope(span: FinishedSpan): boolean {
  const name = span.scope.name;
  return name === packageName || name === "";
}

/**
 * The contract's StandardTraceSpan of a finished span, attributed to `service`, made by the generated
 * builder. Attribute values of any shape are made safe (and the repairs counted); OpenTelemetry's
 * SpanKind (INTERNAL = 0) moves to OTLP's numbering (INTERNAL = 1). Links are not part of the
 * contract. With a `redaction`, secret keys of the span's and events' attributes carry `"[redacted]"`.
 */
export function spanToContract(span: FinishedSpan, service: ServiceMetadata, counts: RepairCounts, redaction?: Redaction): StandardTraceSpan {
  const start = span.startUnixNano;
  const end = span.endUnixNano;
  const attributes = span.attributes;
  const events = span.events;
  const own = isOwnScope(span);
  return buildStandardTraceSpan({
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: safeString(span.name === "" ? "(unnamed)" : span.name, counts, 256),
    kind: kindOf(span.kind, counts),
    service,
    startTimeUnixNano: start,
    endTimeUnixNano: end < start ? start : end,
    status: statusOf(span.status, counts),
    attributes: attributes === undefined || ownKeyCount(attributes) === 0 ? noAttributes : safeData(attributes, counts, undefined, redaction),
    events:
      events === undefined || events.length === 0
        ? noEvents
        : events.slice(0, 128).map((e) => ({
            name: safeString(e.name === "" ? "(unnamed)" : e.name, counts, 256),
            timeUnixNano: e.timeUnixNano,
            attributes: safeData(e.attributes, counts, undefined, redaction),
          })),
    scopeName: own ? "" : safeString(span.scope.name, counts, 256),
    scopeVersion: own ? "" : safeString(span.scope.version, counts, 128),
  });
}
