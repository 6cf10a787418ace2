import { boundedText } from "./bounded-text.js";
import type { ReceivedRecord } from "./collector-records.js";

/** One span of a trace as the trace view shows it. */
export interface TraceSpan {
  readonly spanId: string;
  /** `""` for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  readonly service: string;
  /** Start and end, nanoseconds since the epoch as decimal strings (as stored). */
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
  /** The job the span belongs to (`emp.job.id`), when it says. */
  readonly jobId?: string;
  /** Arrival number at the collector. */
  readonly seq: number;
}

/** One log record of a trace: which span wrote it, and what it says. */
export interface TraceLog {
  readonly spanId: string;
  readonly service: string;
  readonly level: string;
  readonly message: string;
  readonly seq: number;
}

/** A line of the trace view: a span at its depth in the tree, timed from the trace's start. */
export interface TraceTreeRow {
  readonly span: TraceSpan;
  /** 0 for a root; a child is one deeper than its parent. */
  readonly depth: number;
  /** Milliseconds from the trace's earliest start to this span's start. */
  readonly offsetMs: number;
  readonly durationMs: number;
  /** The span names a parent that did not arrive (shown as a root, marked). */
  readonly orphan: boolean;
  /** Log records written inside this span, in arrival order. */
  readonly logs: readonly TraceLog[];
}

/** A trace as `GET /api/traces/<id>` answers: its spans nested by parent, in start order within each parent. */
export interface TraceView {
  readonly traceId: string;
  readonly durationMs: number;
  readonly services: readonly string[];
  readonly rows: readonly TraceTreeRow[];
  /** Log records of the trace whose span did not arrive (or that name none). */
  readonly looseLogs: readonly TraceLog[];
  /** Spans and logs not kept once the trace held `recordsPerTrace`. */
  readonly dropped: number;
}

/** One line of the trace list in `/api/status`. */
export interface TraceSummary {
  readonly traceId: string;
  /** The earliest root span's name (or the earliest span's, when no root arrived). */
  readonly root: string;
  readonly jobId?: string;
  readonly services: readonly string[];
  readonly spans: number;
  readonly logs: number;
  readonly durationMs: number;
  readonly lastSeenAtMs: number;
}

interface TraceState {
  readonly spans: TraceSpan[];
  readonly logs: TraceLog[];
  dropped: number;
  lastSeenAtMs: number;
}

/** Single-span traces {@link TraceIndex.list} shows after the others: a poll every second would fill the list. */
const singleSpanTracesListed = 5;

const nanosToMs = (n: bigint): number => Number(n) / 1e6;

function nanos(v: string): bigint {
  return /^\d{1,20}$/.test(v) ? BigInt(v) : 0n;
}

/** Longest text kept from a record (names, ids, messages): the view shows a line each, not the record. */
const maxTextLength = 300;

/** A string, number or bigint as text of at most {@link maxTextLength} characters (a copy, see {@link boundedText}); else `""`. */
function text(v: unknown): string {
  const s = typeof v === "string" ? v : typeof v === "number" || typeof v === "bigint" ? String(v) : "";
  return boundedText(s, maxTextLength);
}

function bag(v: unknown): Readonly<Record<string, unknown>> {
  return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
}

/** The trace and span a received record belongs to: an OTLP span's ids, or a log's (Fluentd `trace_id`/`span_id`, OTLP `traceId`/`spanId`). */
function idsOf(r: ReceivedRecord): { traceId: string; spanId: string } {
  const x = r.record;
  return { traceId: text(x.traceId ?? x.trace_id), spanId: text(x.spanId ?? x.span_id) };
}

function spanOf(r: ReceivedRecord, spanId: string): TraceSpan {
  const x = r.record;
  const jobId = text(bag(x.attributes)["emp.job.id"]);
  return {
    spanId,
    parentSpanId: text(x.parentSpanId),
    name: text(x.name) || "(no name)",
    service: r.service,
    startTimeUnixNano: text(x.startTimeUnixNano),
    endTimeUnixNano: text(x.endTimeUnixNano),
    statusCode: Number(bag(x.status).code ?? 0) || 0,
    ...(jobId === "" ? {} : { jobId }),
    seq: r.seq,
  };
}

function logOf(r: ReceivedRecord, spanId: string): TraceLog {
  const x = r.record;
  const message = text(x.message ?? x.body);
  const level = text(x.level ?? x.severityText);
  return { spanId, service: r.service, level, message, seq: r.seq };
}

/**
 * The spans of a trace as a tree: roots (no parent, or a parent that did not arrive: `orphan`)
 * first, each followed by its children depth-first, siblings by start time then arrival; each with
 * its depth, its offset from the trace's earliest start and its duration, and the log records
 * written inside it. A cycle of parents (a broken client) cannot loop: each span is placed once.
 * Pure.
 */
export function traceTree(traceId: string, spans: readonly TraceSpan[], logs: readonly TraceLog[] = [], dropped = 0): TraceView {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const children = new Map<string, TraceSpan[]>();
  const roots: TraceSpan[] = [];
  for (const s of spans) {
    if (s.parentSpanId !== "" && byId.has(s.parentSpanId) && s.parentSpanId !== s.spanId) {
      const list = children.get(s.parentSpanId) ?? [];
      list.push(s);
      children.set(s.parentSpanId, list);
    } else roots.push(s);
  }
  const order = (a: TraceSpan, b: TraceSpan): number => {
    const d = nanos(a.startTimeUnixNano) - nanos(b.startTimeUnixNano);
    return d < 0n ? -1 : d > 0n ? 1 : a.seq - b.seq;
  };
  let start: bigint | undefined;
  for (const s of spans) if (start === undefined || nanos(s.startTimeUnixNano) < start) start = nanos(s.startTimeUnixNano);
  start ??= 0n;
  const end = spans.reduce((m, s) => (nanos(s.endTimeUnixNano) > m ? nanos(s.endTimeUnixNano) : m), start);
  const logsBySpan = new Map<string, TraceLog[]>();
  for (const l of logs) {
    const list = logsBySpan.get(l.spanId) ?? [];
    list.push(l);
    logsBySpan.set(l.spanId, list);
  }
  const rows: TraceTreeRow[] = [];
  const placed = new Set<string>();
  const visit = (s: TraceSpan, depth: number, orphan: boolean): void => {
    if (placed.has(s.spanId)) return;
    placed.add(s.spanId);
    const from = nanos(s.startTimeUnixNano);
    const to = nanos(s.endTimeUnixNano);
    rows.push({
      span: s,
      depth,
      offsetMs: nanosToMs(from - start),
      durationMs: to > from ? nanosToMs(to - from) : 0,
      orphan,
      logs: logsBySpan.get(s.spanId) ?? [],
    });
    for (const c of (children.get(s.spanId) ?? []).sort(order)) visit(c, depth + 1, false);
  };
  for (const r of roots.sort(order)) visit(r, 0, r.parentSpanId !== "");
  // Spans only reachable through a cycle of parents: shown as orphans rather than lost.
  for (const s of [...spans].sort(order)) visit(s, 0, true);
  return {
    traceId,
    durationMs: nanosToMs(end - start),
    services: [...new Set(spans.map((s) => s.service))].sort(),
    rows,
    looseLogs: logs.filter((l) => !byId.has(l.spanId)),
    dropped,
  };
}

/**
 * The recent traces the collector saw, for the live page's trace view: spans by trace id, and the
 * log records that name a trace. Keeps the `maxTraces` traces seen most recently (older ones are
 * forgotten whole) and at most `recordsPerTrace` spans and logs of each (later ones counted in
 * `dropped`). O(1) per record. Never throws.
 */
export class TraceIndex {
  readonly #traces = new Map<string, TraceState>();
  readonly #maxTraces: number;
  readonly #recordsPerTrace: number;

  constructor(maxTraces: number, recordsPerTrace: number) {
    this.#maxTraces = maxTraces;
    this.#recordsPerTrace = recordsPerTrace;
  }

  /** Adds a stored span or a log that names a trace; other records are ignored. */
  add(r: ReceivedRecord): void {
    const { traceId, spanId } = idsOf(r);
    if (traceId === "" || /^0+$/.test(traceId)) return;
    let t = this.#traces.get(traceId);
    if (t === undefined) {
      t = { spans: [], logs: [], dropped: 0, lastSeenAtMs: r.receivedAtMs };
      if (this.#traces.size >= this.#maxTraces) this.#traces.delete(this.#traces.keys().next().value as string);
    } else this.#traces.delete(traceId);
    this.#traces.set(traceId, t);
    t.lastSeenAtMs = r.receivedAtMs;
    if (t.spans.length + t.logs.length >= this.#recordsPerTrace) t.dropped++;
    else if (r.signal === "spans") t.spans.push(spanOf(r, spanId));
    else t.logs.push(logOf(r, spanId));
  }

  /** The trace `traceId` as a tree, or `undefined` when it is not (or no longer) kept. */
  view(traceId: string): TraceView | undefined {
    const t = this.#traces.get(traceId);
    return t === undefined ? undefined : traceTree(traceId, t.spans, t.logs, t.dropped);
  }

  /**
   * Up to `limit` traces with spans: first those of a job or of more than one span (the ones worth a
   * tree), then at most 5 single-span ones (a poll, a health check); each group newest first.
   */
  list(limit: number): TraceSummary[] {
    const out: TraceSummary[] = [];
    const newest = [...this.#traces].reverse().filter(([, t]) => t.spans.length > 0);
    const telling = (t: TraceState): boolean => t.spans.length > 1 || t.spans.some((s) => s.jobId !== undefined);
    for (const [traceId, t] of [...newest.filter(([, x]) => telling(x)), ...newest.filter(([, x]) => !telling(x)).slice(0, singleSpanTracesListed)]) {
      if (out.length >= limit) break;
      const view = traceTree(traceId, t.spans);
      const first = view.rows[0]?.span;
      const jobId = t.spans.find((s) => s.jobId !== undefined)?.jobId;
      out.push({
        traceId,
        root: first?.name ?? "",
        ...(jobId === undefined ? {} : { jobId }),
        services: view.services,
        spans: t.spans.length,
        logs: t.logs.length,
        durationMs: view.durationMs,
        lastSeenAtMs: t.lastSeenAtMs,
      });
    }
    return out;
  }
}
