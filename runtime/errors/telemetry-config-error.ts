import { TelemetryError } from "./telemetry-error.js";

/**
 * One thing wrong with the configuration, as reported by {@link TelemetryConfigError}.
 * Secrets never appear here: `value` is `"[redacted]"` for them.
 */
export interface ConfigProblem {
  /** The environment variable (`FLUENTD_PORT`) or option path (`fluentd.port`) that is wrong or missing. */
  readonly key: string;
  /**
   * The offending value as text, `"[redacted]"` for a secret, `undefined` when the value is missing.
   * For the telemetry configuration it is the text as given (an env value, or JSON of an option); for
   * a component's options (the error has a `subject`) it is a literal: strings quoted, numbers bare.
   */
  readonly value: string | undefined;
  /**
   * What is wrong. For the telemetry configuration a sentence (`must be an integer from 1 to 65535`);
   * for a component's options what was expected (`an integer 1..65535`).
   */
  readonly problem: string;
  /**
   * A right setting, e.g. `FLUENTD_PORT=24224` (for a misspelled key, the right key); for a
   * component's options a right value (`24224`), or `""` when `problem` already lists them.
   */
  readonly example: string;
}

/**
 * Formats one problem of the telemetry configuration as a line of the error message:
 * `- FLUENTD_PORT="http": must be an integer from 1 to 65535 (e.g. FLUENTD_PORT=24224)`.
 */
export function formatConfigProblem(problem: ConfigProblem): string {
  const shown = problem.value === undefined ? " (not set)" : `=${JSON.stringify(problem.value)}`;
  return `- ${problem.key}${shown}: ${problem.problem} (e.g. ${problem.example})`;
}

/**
 * Formats one problem of a component's options: `port=70000 (expected an integer 1..65535, e.g. 24224)`.
 */
export function formatOptionProblem(problem: ConfigProblem): string {
  const example = problem.example === "" ? "" : `, e.g. ${problem.example}`;
  return `${problem.key}=${problem.value ?? "undefined"} (expected ${problem.problem}${example})`;
}

/**
 * Thrown once, at construction, when the telemetry configuration or a component's options are
 * missing or invalid (code `config_invalid`). It names every problem at once: `problems` holds them
 * as data and the message lists each with its key, what is wrong and an example of a right value.
 * Secrets are redacted.
 *
 * Message forms: without `subject` (the telemetry configuration) one line per problem,
 * `invalid telemetry configuration, 2 problems:\n- …`; with a `subject` (a component such as
 * `forward transport`) one line, `invalid forward transport options: a=1 (expected …); b=…`.
 */
export class TelemetryConfigError extends TelemetryError {
  override name = "TelemetryConfigError";
  /** Every problem found, in the order the keys were checked. Frozen. */
  readonly problems: readonly ConfigProblem[];
  /** The component whose options were wrong (`forward transport`), `undefined` for the telemetry configuration. */
  readonly subject: string | undefined;

  constructor(problems: readonly ConfigProblem[], options?: { cause?: unknown; subject?: string }) {
    super(configErrorMessage(problems, options?.subject), "config_invalid", options?.cause === undefined ? undefined : { cause: options.cause });
    this.problems = Object.freeze(problems.map((problem) => Object.freeze({ ...problem })));
    this.subject = options?.subject;
  }
}

function configErrorMessage(problems: readonly ConfigProblem[], subject: string | undefined): string {
  if (subject !== undefined) return `invalid ${subject} options: ${problems.map(formatOptionProblem).join("; ")}`;
  const count = problems.length === 1 ? "1 problem" : `${String(problems.length)} problems`;
  return `invalid telemetry configuration, ${count}:\n${problems.map(formatConfigProblem).join("\n")}`;
}
