import { TelemetryError } from "./telemetry-error.js";

/**
 * One thing wrong with the configuration, as reported by {@link TelemetryConfigError}.
 * Secrets never appear here: `value` is `"[redacted]"` for them.
 */
export interface ConfigProblem {
  /** The environment variable (`FLUENTD_PORT`) or option path (`fluentd.port`) that is wrong or missing. */
  readonly key: string;
  /** The offending value as text, `"[redacted]"` for a secret, `undefined` when the value is missing. */
  readonly value: string | undefined;
  /** What is wrong, e.g. `must be an integer from 1 to 65535`. */
  readonly problem: string;
  /** A right setting, as `KEY=value`, e.g. `FLUENTD_PORT=24224` (for a misspelled key, the right key). */
  readonly example: string;
}

/**
 * Formats one problem as a line of the error message:
 * `- FLUENTD_PORT="http": must be an integer from 1 to 65535 (e.g. FLUENTD_PORT=24224)`.
 */
export function formatConfigProblem(problem: ConfigProblem): string {
  const shown = problem.value === undefined ? " (not set)" : `=${JSON.stringify(problem.value)}`;
  return `- ${problem.key}${shown}: ${problem.problem} (e.g. ${problem.example})`;
}

/**
 * Thrown once, at construction, when the telemetry configuration is missing or invalid (code
 * `config_invalid`). It names every problem at once: `problems` holds them as data and the message
 * lists each with its key, what is wrong and an example of a right value. Secrets are redacted.
 */
export class TelemetryConfigError extends TelemetryError {
  override name = "TelemetryConfigError";
  /** Every problem found, in the order the keys were checked. Frozen. */
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], options?: { cause?: unknown }) {
    const count = problems.length === 1 ? "1 problem" : `${String(problems.length)} problems`;
    super(`invalid telemetry configuration, ${count}:\n${problems.map(formatConfigProblem).join("\n")}`, "config_invalid", options);
    this.problems = Object.freeze(problems.map((problem) => Object.freeze({ ...problem })));
  }
}
