import { context, type Span, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import type { PhaseStatus, StartupPhase, StartupReport } from "../../generated/index.js";
import { buildStandardLogEntry, logLevelValues as LogLevel } from "../../generated/emp/telemetry/v1/log_contract.js";
import { buildStartupPhase, phaseStatusValues, startupReportToAttributes } from "../../generated/emp/telemetry/v1/startup_contract.js";
import { errorInfoFromUnknown } from "../records/error-info.js";
import { safeData } from "../records/safe-data.js";
import { nowUnixNanos } from "../tracing/clock.js";
import { activeTraceContext } from "./active-trace.js";
import type { LogWriter } from "./log-writer.js";
import type { StartupCheckOptions, StartupCheckReport } from "./startup-check.js";
import { failSpan, runInSpan } from "./trace-api.js";

/**
 * The client's startup instrumentation (the seed's StartupTelemetry). Called as a function it is the
 * existing client's `await telemetry.startup({ testConnections, logConfiguration, sendStartupPing })`.
 * A startup begun (by `begin()` or a first `phase()`) and never completed ends at the next `flush()`
 * or `shutdown()`, status error "startup never completed", so its phases are never orphans.
 */
export interface StartupApi {
  /** The existing client's startup call: logs the configuration, pings, tests the pipeline, as asked; never rejects. */
  (options?: StartupCheckOptions): Promise<StartupCheckReport>;
  /** Starts the root span `<serviceType>.startup`. Calling it again does nothing. */
  begin(): Promise<void>;
  /**
   * Runs one phase as a child span of the startup root (beginning it if needed), in order; records
   * its duration and outcome. A failing phase marks itself and the root failed; its error is rethrown.
   */
  phase<T>(name: string, fn: () => T | Promise<T>): Promise<T>;
  /**
   * Ends the startup: declared phases never run are reported as skipped, the root span ends (error
   * when a phase failed), and one log entry carries the StartupReport and `data`. Never rejects.
   */
  complete(data?: Record<string, unknown>): Promise<StartupReport>;
}

/** The startup API and what the client does with it. */
export interface StartupControl {
  readonly api: StartupApi;
  /** Ends a startup begun and not completed (status error, attribute `emp.startup.completed` false). No-op otherwise; never throws. */
  endUnfinished(when: "flush" | "shutdown"): void;
}

/**
 * Creates the startup API. `declaredPhases`: the phases the service expects, in order. `check`: the
 * existing client's startup call.
 */
export function createStartupApi(
  tracer: Tracer,
  writer: LogWriter,
  serviceType: string,
  declaredPhases: readonly string[],
  check: (options?: StartupCheckOptions) => Promise<StartupCheckReport>,
): StartupControl {
  let root: Span | undefined;
  let rootEnded = false;
  let startedAt = 0n;
  const phases: StartupPhase[] = [];
  let completed: StartupReport | undefined;

  const begin = (): void => {
    if (root !== undefined) return;
    startedAt = nowUnixNanos();
    root = tracer.startSpan(`${serviceType}.startup`, { root: trace.getActiveSpan() === undefined });
  };

  const members: Pick<StartupApi, "begin" | "phase" | "complete"> = {
    async begin() {
      try {
        begin();
      } catch {
        writer.counters.internalErrors++;
      }
    },
    async phase(name, fn) {
      begin();
      const parent = trace.setSpan(context.active(), root!);
      const start = nowUnixNanos();
      const span = tracer.startSpan(name, { attributes: { "emp.startup.phase.name": name } }, parent);
      const record = (status: PhaseStatus, error?: unknown): void => {
        const end = nowUnixNanos();
        phases.push(
          buildStartupPhase({
            name,
            status,
            startTimeUnixNano: start,
            endTimeUnixNano: end,
            durationMs: Number(end - start) / 1e6,
            error: error === undefined ? undefined : errorInfoFromUnknown(error, writer.repairs),
          }),
        );
      };
      try {
        const value = await context.with(trace.setSpan(parent, span), () => runInSpan(span, () => Promise.resolve(fn())));
        record(phaseStatusValues.COMPLETED);
        return value;
      } catch (error: unknown) {
        record(phaseStatusValues.FAILED, error);
        throw error;
      }
    },
    async complete(data) {
      if (completed !== undefined) return completed;
      try {
        begin();
        const end = nowUnixNanos();
        for (const name of declaredPhases) {
          if (!phases.some((p) => p.name === name))
            phases.push(buildStartupPhase({ name, status: phaseStatusValues.SKIPPED, startTimeUnixNano: end, endTimeUnixNano: end }));
        }
        const ok = phases.every((p) => p.status !== phaseStatusValues.FAILED);
        completed = { $typeName: "emp.telemetry.v1.StartupReport", phases: [...phases], totalDurationMs: Number(end - startedAt) / 1e6, ok };
        const span = root!;
        // A root already ended unfinished (at a flush) keeps that status; the report still goes out as an entry.
        const failed = phases.filter((p) => p.status === phaseStatusValues.FAILED).map((p) => p.name);
        if (!rootEnded && failed.length > 0) failSpan(span, new Error(`startup phase failed: ${failed.join(", ")}`));
        else if (!rootEnded) span.setStatus({ code: SpanStatusCode.OK });
        const spanContext = span.spanContext();
        writer.writeEntry(
          buildStandardLogEntry({
            timeUnixNano: end,
            level: ok ? LogLevel.INFO : LogLevel.ERROR,
            message: ok ? `${serviceType} startup complete` : `${serviceType} startup failed`,
            service: writer.service,
            trace: activeTraceContext() ?? {
              $typeName: "emp.telemetry.v1.TraceContext",
              traceId: spanContext.traceId,
              spanId: spanContext.spanId,
              parentSpanId: "",
              traceFlags: spanContext.traceFlags,
            },
            data: { ...safeData(startupReportToAttributes(completed), writer.repairs), ...(data === undefined ? {} : writer.safeFields(data)) },
          }),
        );
        if (!rootEnded) {
          rootEnded = true;
          span.end();
        }
        return completed;
      } catch {
        writer.counters.internalErrors++;
        return completed ?? { $typeName: "emp.telemetry.v1.StartupReport", phases: [...phases], totalDurationMs: 0, ok: false };
      }
    },
  };
  return {
    api: Object.assign((options?: StartupCheckOptions) => check(options), members),
    endUnfinished(when) {
      try {
        if (root === undefined || rootEnded || completed !== undefined) return;
        rootEnded = true;
        root.setAttribute("emp.startup.completed", false);
        root.setStatus({ code: SpanStatusCode.ERROR, message: `startup never completed (ended at ${when})` });
        root.end();
      } catch {
        writer.counters.internalErrors++;
      }
    },
  };
}
