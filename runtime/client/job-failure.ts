import type { ErrorInfo } from "../../generated/index.js";
import { errorInfoFromUnknown } from "../records/error-info.js";
import type { RepairCounts } from "../records/repair.js";

/** What a job's 'failed' event says about what its handler threw, read once, never throwing. */
export interface JobFailure {
  /** The contract's ErrorInfo of the error (type `object`, empty message when nothing of it can be read). */
  readonly info: ErrorInfo;
  /** The error's message as the event's message (at most 8192 characters). */
  readonly message: string;
  /** Whether the job may be retried. */
  readonly canRetry: boolean;
  /** A plain Error chain carrying `info` (name, message, stack, causes), for the log entry: the app's error is read only once. */
  readonly standIn: Error;
}

const errorInfoType = "emp.telemetry.v1.ErrorInfo";

/** What `job.process` options say about retries (its `ProcessJobOptions`; may be any value the app passed). */
type RetryOptions = { readonly canRetry?: (error: unknown) => boolean } | undefined;

/**
 * Reads what a handler threw, whatever it is (a null-prototype object, an Error whose `message` is
 * not a string, a revoked Proxy): an unreadable error counts as a dropped value. Never throws.
 */
export function jobFailureOf(error: unknown, options: RetryOptions, counts: RepairCounts): JobFailure {
  let info: ErrorInfo;
  try {
    info = errorInfoFromUnknown(error, counts);
  } catch {
    counts.droppedValues++;
    info = { $typeName: errorInfoType, type: typeof error, message: "", stack: "", causes: [] };
  }
  return { info, message: info.message, canRetry: canRetryOf(error, options), standIn: errorFromInfo(info) };
}

function errorFromInfo(info: ErrorInfo): Error {
  let cause: Error | undefined;
  for (let i = info.causes.length - 1; i >= 0; i--) cause = plainError(info.causes[i]!, cause);
  return plainError(info, cause);
}

function plainError(info: ErrorInfo, cause: Error | undefined): Error {
  const error = cause === undefined ? new Error(info.message) : new Error(info.message, { cause });
  error.name = info.type;
  error.stack = info.stack;
  return error;
}

function canRetryOf(error: unknown, options: RetryOptions): boolean {
  try {
    if (options?.canRetry !== undefined) return Boolean(options.canRetry(error));
    if (error !== null && typeof error === "object") {
      const e = error as { canRetry?: unknown; retryable?: unknown };
      if (typeof e.canRetry === "boolean") return e.canRetry;
      if (typeof e.retryable === "boolean") return e.retryable;
    }
  } catch {
    // a throwing predicate, options or error: assume retryable
  }
  return true;
}
