import { context, propagation, ROOT_CONTEXT, type Span, SpanKind, trace, type Tracer } from "@opentelemetry/api";
import type { JobEvent } from "../../generated/index.js";
import { buildJobEvent, jobEventToAttributes, jobLifecycleNames, jobLifecycleValues as JobLifecycle } from "../../generated/emp/telemetry/v1/job_contract.js";
import { logLevelValues as LogLevel } from "../../generated/emp/telemetry/v1/log_contract.js";
import type { RepairCounts } from "../records/repair.js";
import { jobFailureOf } from "./job-failure.js";
import type { LegacyNotice } from "./legacy-notices.js";
import type { LogWriter } from "./log-writer.js";
import { toOtelAttributes } from "./otel-attributes.js";
import { textOf } from "./text-of.js";
import { runInSpan } from "./trace-api.js";

/**
 * A job as queues carry them. The id is read from `id`, `jobId` or `job_id` (every spelling in use
 * today); the type from `type` or `jobType`; the W3C trace context from `traceparent`/`tracestate`
 * on the job, under `telemetry` or `headers`, or in `carrier` (what `context.inject` wrote).
 */
export interface JobLike {
  readonly id?: unknown;
  readonly jobId?: unknown;
  readonly job_id?: unknown;
  readonly type?: unknown;
  readonly jobType?: unknown;
  readonly [key: string]: unknown;
}

/** What a job's handler can report while it runs. */
export interface JobControl {
  /** Progress in percent (clamped to 0..100), with an optional message and step counts. Never throws. */
  progress(percent: number, message?: string, steps?: { current?: number; total?: number }): void;
  /** The job's span (a non-recording span when `jobTracing` is off). */
  readonly span: Span;
}

/** Options of `job.process`. */
export interface ProcessJobOptions {
  /** Whether a failure may be retried. Default: the error's `canRetry` or `retryable` property, else true. */
  canRetry?: (error: unknown) => boolean;
}

/** The client's job instrumentation. */
export interface JobApi {
  /**
   * Processes a job in one span (`job.process`, a child of the trace the job carries, kind consumer),
   * with JobEvents received → started → progress* → completed | failed as log entries and span
   * events under the single key `emp.job.id`. Returns what `fn` returns; rethrows what it throws
   * (the same value), after recording the error type and `can_retry`. Whatever `job` is (null, a
   * hostile Proxy) `fn` runs with it; what telemetry cannot read of it reads as `(unknown)`.
   */
  process<J extends JobLike, T>(job: J, fn: (job: J, ctl: JobControl) => T | Promise<T>, options?: ProcessJobOptions): Promise<T>;
  /** Records one lifecycle event outside `process` (e.g. `received` on the API, `claimed` by a worker). Never throws. */
  record(job: JobLike, lifecycle: "received" | "claimed", message?: string): void;
  /**
   * The existing worker tracer's call: `job.process({ id: jobId, type: jobType }, () => operation())`.
   * Returns what `operation` returns; rethrows what it throws.
   */
  traceJobProcessing<T>(jobId: string, jobType: string, operation: () => T | Promise<T>): Promise<T>;
}

const unknownJobId = "(unknown)";

/** The job's id, from any of the spellings in use; `"(unknown)"` when none. */
export function jobIdOf(job: JobLike): string {
  for (const v of [job.id, job.jobId, job.job_id]) if ((typeof v === "string" && v !== "") || typeof v === "number") return String(v);
  return unknownJobId;
}

function jobTypeOf(job: JobLike): string {
  for (const v of [job.type, job.jobType]) if (typeof v === "string") return v;
  return "";
}

/** The W3C carrier a job holds, if any. */
export function carrierOf(job: JobLike): Record<string, string> | undefined {
  for (const candidate of [job, job.telemetry, job.headers, job.carrier]) {
    if (candidate !== null && typeof candidate === "object" && typeof (candidate as { traceparent?: unknown }).traceparent === "string") {
      const c = candidate as { traceparent: string; tracestate?: unknown };
      return typeof c.tracestate === "string" ? { traceparent: c.traceparent, tracestate: c.tracestate } : { traceparent: c.traceparent };
    }
  }
  return undefined;
}

/** What telemetry reads of a job. */
interface JobFields {
  readonly jobId: string;
  readonly jobType: string;
  readonly carrier: Record<string, string> | undefined;
}

/** Reads a job whatever it is: null, a primitive, a Proxy whose traps throw. Reads that throw count as dropped values. */
function readJob(job: unknown, counts: RepairCounts): JobFields {
  if (job === null || job === undefined) return { jobId: unknownJobId, jobType: "", carrier: undefined };
  const read = <T>(reader: (j: JobLike) => T, fallback: T): T => {
    try {
      return reader(job as JobLike);
    } catch {
      counts.droppedValues++;
      return fallback;
    }
  };
  return { jobId: read(jobIdOf, unknownJobId), jobType: read(jobTypeOf, ""), carrier: read(carrierOf, undefined) };
}

/** A finite number, else 0. */
function finiteOr0(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** Creates the job API. `notice` names the new form of an old call once (debug mode). */
export function createJobApi(
  tracer: Tracer,
  writer: LogWriter,
  workerId: string,
  flags: { tracing: boolean; logEvents: boolean },
  notice: LegacyNotice = () => undefined,
): JobApi {
  const emit = (event: JobEvent, span: Span | undefined, error?: unknown): void => {
    try {
      const name = `job.${jobLifecycleNames[event.lifecycle] ?? "event"}`;
      const attributes = jobEventToAttributes(event);
      span?.addEvent(name, toOtelAttributes(attributes, writer.repairs));
      if (flags.logEvents) {
        const level = event.lifecycle === JobLifecycle.FAILED ? LogLevel.ERROR : LogLevel.INFO;
        // The error goes in the entry's own error fields (exception.*), which data may not take.
        writer.write(level, event.message === "" ? name : `${name}: ${event.message}`, attributes, undefined, error);
      }
    } catch {
      writer.counters.internalErrors++;
    }
  };

  const api: JobApi = {
    traceJobProcessing(jobId, jobType, operation) {
      notice("traceJobProcessing(jobId, jobType, fn)", "telemetry.job.process({ id, type }, fn)");
      return api.process({ id: jobId, type: jobType }, () => operation());
    },
    record(job, lifecycle, message) {
      try {
        const value = lifecycle === "received" ? JobLifecycle.RECEIVED : lifecycle === "claimed" ? JobLifecycle.CLAIMED : undefined;
        if (value === undefined) {
          writer.repairs.droppedValues++; // not a lifecycle this call records
          return;
        }
        const { jobId, jobType } = readJob(job, writer.repairs);
        const text = message === undefined ? "" : textOf(message);
        emit(buildJobEvent({ lifecycle: value, jobId, jobType, workerId, message: text }), trace.getActiveSpan());
      } catch {
        writer.counters.internalErrors++;
      }
    },
    async process<J extends JobLike, T>(job: J, fn: (job: J, ctl: JobControl) => T | Promise<T>, options?: ProcessJobOptions): Promise<T> {
      const { jobId, jobType, carrier } = readJob(job, writer.repairs);
      const base = { jobId, jobType, workerId };
      const parent = carrier === undefined ? context.active() : propagation.extract(ROOT_CONTEXT, carrier);
      const span = flags.tracing
        ? tracer.startSpan(
            "job.process",
            { kind: SpanKind.CONSUMER, attributes: { "emp.job.id": jobId, "emp.job.type": base.jobType, "emp.worker.id": workerId } },
            parent,
          )
        : trace.wrapSpanContext(trace.getSpanContext(parent) ?? { traceId: "0".repeat(32), spanId: "0".repeat(16), traceFlags: 0 });
      const ctl: JobControl = {
        span,
        progress(percent, message, steps) {
          try {
            const p = Math.min(100, Math.max(0, finiteOr0(percent)));
            const text = message === undefined ? "" : textOf(message);
            const stepOf = (key: "current" | "total"): number => {
              try {
                return finiteOr0(steps?.[key]);
              } catch {
                writer.repairs.droppedValues++;
                return 0;
              }
            };
            emit(
              buildJobEvent({
                ...base,
                lifecycle: JobLifecycle.PROGRESS,
                progress: p,
                message: text,
                currentStep: stepOf("current"),
                totalSteps: stepOf("total"),
              }),
              span,
            );
          } catch {
            writer.counters.internalErrors++;
          }
        },
      };
      return context.with(trace.setSpan(parent, span), () => {
        emit(buildJobEvent({ ...base, lifecycle: JobLifecycle.RECEIVED }), span);
        emit(buildJobEvent({ ...base, lifecycle: JobLifecycle.STARTED }), span);
        const work = async (): Promise<Awaited<T>> => {
          let value: Awaited<T>;
          try {
            value = await fn(job, ctl);
          } catch (error: unknown) {
            const failure = jobFailureOf(error, options, writer.repairs);
            emit(
              buildJobEvent({ ...base, lifecycle: JobLifecycle.FAILED, message: failure.message, error: failure.info, canRetry: failure.canRetry }),
              span,
              failure.standIn,
            );
            throw error;
          }
          emit(buildJobEvent({ ...base, lifecycle: JobLifecycle.COMPLETED, progress: 100 }), span);
          return value;
        };
        return flags.tracing ? runInSpan(span, work) : work();
      }) as Promise<T>;
    },
  };
  return api;
}
