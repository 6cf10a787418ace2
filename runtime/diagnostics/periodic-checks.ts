import type { ConnectivityReport } from "../../generated/emp/telemetry/v1/health_pb.js";
import { OptionProblems } from "../config/option-problems.js";

/** Options of `PipelineTests.startPeriodicChecks`. See {@link periodicCheckDefaults}. */
export interface PeriodicCheckOptions {
  /** Time between runs, in ms. Default 60000. A run still going when the next is due makes that one skip. */
  intervalMs?: number;
  /**
   * Called with each run's report (Fluentd connect + handshake, and the empty OTLP export). Required.
   * A throw is caught and counted in `callbackErrors`; it never stops the checks.
   */
  onReport: (report: ConnectivityReport) => void;
}

/** {@link PeriodicCheckOptions} after {@link resolvePeriodicCheckOptions}. */
export interface ResolvedPeriodicCheckOptions {
  readonly intervalMs: number;
  readonly onReport: (report: ConnectivityReport) => void;
}

/** Defaults of {@link PeriodicCheckOptions}: a run a minute (each costs one TCP connection and one tiny request). */
export const periodicCheckDefaults = Object.freeze({ intervalMs: 60_000 } as const);

/** Checks the options and applies {@link periodicCheckDefaults}. Throws one `TelemetryConfigError` naming every problem. */
export function resolvePeriodicCheckOptions(options: PeriodicCheckOptions): ResolvedPeriodicCheckOptions {
  const problems = new OptionProblems("periodic checks");
  if (typeof options !== "object" || options === null) {
    problems.add("options", options, "an object with onReport", "{ intervalMs: 60000, onReport: (report) => {} }");
    problems.throwIfAny();
  }
  problems.unknownKeys(options, ["intervalMs", "onReport"]);
  const intervalMs = options.intervalMs ?? periodicCheckDefaults.intervalMs;
  problems.milliseconds("intervalMs", intervalMs, "60000");
  if (typeof options.onReport !== "function") problems.add("onReport", typeof options.onReport, "a function", "(report) => {}");
  problems.throwIfAny();
  return Object.freeze({ intervalMs, onReport: options.onReport });
}

/** A running periodic health check; see `PipelineTests.startPeriodicChecks`. */
export interface PeriodicChecks {
  /** Runs started so far. */
  readonly runs: number;
  /** Runs skipped because the previous one was still going. */
  readonly skipped: number;
  /** `onReport` calls that threw. */
  readonly callbackErrors: number;
  /** Runs that failed unexpectedly (a bug: checks never reject). */
  readonly internalErrors: number;
  /** Whether a run is going now. */
  readonly running: boolean;
  /**
   * Stops the timer and aborts a run in flight (its report is not delivered). Resolves once that run
   * has wound down; never rejects. Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * The state of one periodic check: an unref'd interval timer (it never keeps the process alive),
 * the run in flight, and its counters. `run(signal)` must never reject.
 */
export class PeriodicHealthChecks implements PeriodicChecks {
  #runs = 0;
  #skipped = 0;
  #callbackErrors = 0;
  #internalErrors = 0;
  #inFlight: Promise<void> | undefined;
  #stopped = false;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #options: ResolvedPeriodicCheckOptions;
  readonly #run: (signal: AbortSignal) => Promise<ConnectivityReport>;

  /** Starts the first run at once, then one every `intervalMs`. */
  constructor(options: ResolvedPeriodicCheckOptions, run: (signal: AbortSignal) => Promise<ConnectivityReport>) {
    this.#options = options;
    this.#run = run;
    this.#timer = setInterval(() => this.#tick(), options.intervalMs);
    this.#timer.unref();
    this.#tick();
  }

  get runs(): number {
    return this.#runs;
  }

  get skipped(): number {
    return this.#skipped;
  }

  get callbackErrors(): number {
    return this.#callbackErrors;
  }

  get internalErrors(): number {
    return this.#internalErrors;
  }

  get running(): boolean {
    return this.#inFlight !== undefined;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#controller.abort(new Error("periodic checks stopped"));
    await this.#inFlight;
  }

  #tick(): void {
    if (this.#stopped) return;
    if (this.#inFlight !== undefined) {
      this.#skipped++;
      return;
    }
    this.#runs++;
    this.#inFlight = this.#once().finally(() => (this.#inFlight = undefined));
  }

  async #once(): Promise<void> {
    let report: ConnectivityReport;
    try {
      report = await this.#run(this.#controller.signal);
    } catch {
      this.#internalErrors++; // checks never reject; counted in case one does
      return;
    }
    if (this.#stopped) return;
    try {
      this.#options.onReport(report);
    } catch {
      this.#callbackErrors++; // the caller's bug; counted, never allowed to stop the checks
    }
  }
}
