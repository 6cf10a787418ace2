import { context, propagation, ROOT_CONTEXT, type Span, SpanKind, trace, type Tracer } from "@opentelemetry/api";
import type { JobEvent } from "../../generated/index.js";
import { buildJobEvent, jobEventToAttributes, jobLifecycleNames, jobLifecycleValues as JobLifecycle } from "../../generated/emp/telemetry/v1/job_contract.js";
import { logLevelValues as LogLevel } from "../../generated/emp/telemetry/v1/log_contract.js";
import { errorInfoFromUnknown } from "../records/error-info.js";
import type { LogWriter } from "./log-writer.js";
import { toOtelAttributes } from "./otel-attributes.js";
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
   * events under the single key `emp.job.id`. Returns what `fn` returns; rethrows what it throws,
   * after recording the error type and `can_retry`.
   */
  process<J extends JobLike, T>(job: J, fn: (job: J, ctl: JobControl) => T | Promise<T>, options?: ProcessJobOptions): Promise<T>;
  /** Records one lifecycle event outside `process` (e.g. `received` on the API, `claimed` by a worker). Never throws. */
  record(job: JobLike, lifecycle: "received" | "claimed", message?: string): void;
}

/** The job's id, from any of the spellings in use; `"(unknown)"` when none. */
export function jobIdOf(job: JobLike): string {
  for (const v of [job.id, job.jobId, job.job_id]) if ((typeof v === "string" && v !== "") || typeof v === "number") return String(v);
  return "(unknown)";
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

const lifecycles = {
  received: JobLifecycle.RECEIVED,
  claimed: JobLifecycle.CLAIMED,
} as const;

/** Creates the job API. */
export function createJobApi(tracer: Tracer, writer: LogWriter, workerId: string, flags: { tracing: boolean; logEvents: boolean }): JobApi {
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

  return {
    record(job, lifecycle, message) {
      emit(
        buildJobEvent({ lifecycle: lifecycles[lifecycle], jobId: jobIdOf(job), jobType: jobTypeOf(job), workerId, message: message ?? "" }),
        trace.getActiveSpan(),
      );
    },
    async process<J extends JobLike, T>(job: J, fn: (job: J, ctl: JobControl) => T | Promise<T>, options?: ProcessJobOptions): Promise<T> {
      const jobId = jobIdOf(job);
      const base = { jobId, jobType: jobTypeOf(job), workerId };
      const carrier = carrierOf(job);
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
          const p = Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
          emit(
            buildJobEvent({
              ...base,
              lifecycle: JobLifecycle.PROGRESS,
              progress: p,
              message: message ?? "",
              currentStep: steps?.current ?? 0,
              totalSteps: steps?.total ?? 0,
            }),
            span,
          );
        },
      };
      return context.with(trace.setSpan(parent, span), () => {
        emit(buildJobEvent({ ...base, lifecycle: JobLifecycle.RECEIVED }), span);
        emit(buildJobEvent({ ...base, lifecycle: JobLifecycle.STARTED }), span);
        const work = async (): Promise<Awaited<T>> => {
          try {
            const value = await fn(job, ctl);
            emit(buildJobEvent({ ...base, lifecycle: JobLifecycle.COMPLETED, progress: 100 }), span);
            return value;
          } catch (error: unknown) {
            emit(
              buildJobEvent({
                ...base,
                lifecycle: JobLifecycle.FAILED,
                message: error instanceof Error ? error.message.slice(0, 8192) : String(error).slice(0, 8192),
                error: errorInfoFromUnknown(error, writer.repairs),
                canRetry: canRetryOf(error, options),
              }),
              span,
              error,
            );
            throw error;
          }
        };
        return flags.tracing ? runInSpan(span, work) : work();
      }) as Promise<T>;
    },
  };
}

function canRetryOf(error: unknown, options: ProcessJobOptions | undefined): boolean {
  try {
    if (options?.canRetry !== undefined) return options.canRetry(error);
    if (error !== null && typeof error === "object") {
      const e = error as { canRetry?: unknown; retryable?: unknown };
      if (typeof e.canRetry === "boolean") return e.canRetry;
      if (typeof e.retryable === "boolean") return e.retryable;
    }
  } catch {
    // a throwing predicate: assume retryable
  }
  return true;
}
