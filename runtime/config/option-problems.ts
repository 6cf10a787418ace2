import { suggestOptionKey } from "./did-you-mean.js";
import { redactedText } from "./secret.js";
import { hideUrlCredentials } from "./url-credentials.js";
import { TelemetryConfigError, type ConfigProblem } from "../errors/telemetry-config-error.js";

/** Largest delay `setTimeout` accepts (about 24.8 days); longer values fire at once. */
export const maxTimerMs = 2_147_483_647;

/** How {@link OptionProblems.add} shows a value. */
export interface ProblemValueOptions {
  /** Show the value as `[redacted]` (keys, passwords, header values). Default false. */
  readonly secret?: boolean;
}

/**
 * Collects every bad option of one component (or of the telemetry configuration), then throws one
 * {@link TelemetryConfigError} naming them all: collect, check everything, `throwIfAny()`. The
 * checks return whether the value was right, so callers can go on with it. Never throws except in
 * {@link OptionProblems.throwIfAny}.
 *
 * With a `subject` (`"forward transport"`) problems read `port=70000 (expected an integer 1..65535,
 * e.g. 24224)`, values shown as literals; without one (the telemetry configuration) they read
 * `- FLUENTD_PORT="http": must be … (e.g. FLUENTD_PORT=24224)`, values shown as given.
 */
export class OptionProblems {
  readonly #subject: string | undefined;
  readonly #problems: ConfigProblem[] = [];

  /** @param subject - the component, e.g. `"sink"`; `undefined` for the telemetry configuration. */
  constructor(subject: string | undefined) {
    this.#subject = subject;
  }

  /** Problems so far, in the order they were found. */
  get problems(): readonly ConfigProblem[] {
    return this.#problems;
  }

  /** Records one problem. `example` may be `""` when `problem` already names the right values. */
  add(key: string, value: unknown, problem: string, example = "", options?: ProblemValueOptions): void {
    this.#problems.push({ key, value: this.#show(value, options?.secret ?? false), problem, example });
  }

  /**
   * Reports every key of `record` not in `known`, with "did you mean" when one of `known` or
   * `alsoSuggested` is close ({@link suggestOptionKey}); the hint lists both. Values of unknown keys
   * are shown only when they cannot be a secret (booleans, numbers, `null`): a string or object may be
   * a misspelled secret. `exampleOf` gives the example for a suggested key (path with `prefix`).
   * Returns whether every key was known.
   */
  unknownKeys(record: object, known: readonly string[], prefix = "", exampleOf?: (key: string) => string, alsoSuggested: readonly string[] = []): boolean {
    let sound = true;
    const candidates = alsoSuggested.length === 0 ? known : [...known, ...alsoSuggested];
    for (const key of Object.keys(record)) {
      if (known.includes(key)) continue;
      sound = false;
      const suggestion = suggestOptionKey(key, candidates);
      const hint = suggestion === undefined ? `known: ${candidates.join(", ")}` : `did you mean ${prefix}${suggestion}?`;
      if (this.#subject !== undefined) {
        this.add(`${prefix}${key}`, "…", `no such option; ${hint}`);
        continue;
      }
      const example = suggestion === undefined ? "remove it" : (exampleOf?.(`${prefix}${suggestion}`) ?? `${prefix}${suggestion}=…`);
      const value: unknown = (record as Record<string, unknown>)[key];
      const mayBeSecret = (typeof value === "object" && value !== null) || typeof value === "string" || typeof value === "function";
      this.add(`${prefix}${key}`, value, `is not an option; ${hint}`, example, { secret: mayBeSecret });
    }
    return sound;
  }

  /** Checks `value` is an integer in `min..max`; `example` is a right value. */
  integer(key: string, value: unknown, min: number, max: number, example: string): value is number {
    if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return true;
    this.add(key, value, `an integer ${min}..${max}`, example);
    return false;
  }

  /** Checks `value` is a whole number of milliseconds a timer accepts, 1..{@link maxTimerMs}. */
  milliseconds(key: string, value: unknown, example: string): value is number {
    return this.integer(key, value, 1, maxTimerMs, example);
  }

  /** Checks `value` is a function, or absent. */
  func(key: string, value: unknown): boolean {
    if (value === undefined || typeof value === "function") return true;
    this.add(key, typeof value, "a function");
    return false;
  }

  /** Checks `value` is one of `allowed` (compared with `===`); the problem lists them. */
  oneOf<T>(key: string, value: unknown, allowed: readonly T[]): value is T {
    if (allowed.includes(value as T)) return true;
    const names = allowed.map((candidate) => JSON.stringify(candidate));
    const last = names.pop() ?? "";
    this.add(key, value, names.length === 0 ? last : names.length === 1 ? `${names[0] ?? ""} or ${last}` : `one of ${[...names, last].join(", ")}`);
    return false;
  }

  /** Checks `value` is `true` or `false`. */
  boolean(key: string, value: unknown): value is boolean {
    return this.oneOf(key, value, [true, false]);
  }

  /** Checks `value` is a non-empty string; `example` is a right one (shown as given). */
  text(key: string, value: unknown, what: string, example: string, options?: ProblemValueOptions): value is string {
    if (typeof value === "string" && value !== "") return true;
    this.add(key, value, what, example, options);
    return false;
  }

  /**
   * Checks `value` is an `http:` or `https:` URL (with `base`, also without query or fragment, as
   * paths are appended). `example` is a right one.
   */
  httpUrl(key: string, value: unknown, example: string, options?: { readonly base?: boolean }): value is string {
    if (typeof value === "string" && URL.canParse(value)) {
      const url = new URL(value);
      const http = url.protocol === "http:" || url.protocol === "https:";
      if (http && (options?.base !== true || (url.search === "" && url.hash === ""))) return true;
    }
    this.add(key, value, options?.base === true ? "an http(s) base URL without query" : "an http(s) URL", JSON.stringify(example));
    return false;
  }

  /** The problems as one {@link TelemetryConfigError} (code `config_invalid`). */
  toError(cause?: unknown): TelemetryConfigError {
    const options: { cause?: unknown; subject?: string } = {};
    if (cause !== undefined) options.cause = cause;
    if (this.#subject !== undefined) options.subject = this.#subject;
    return new TelemetryConfigError(this.#problems, options);
  }

  /** Throws one {@link TelemetryConfigError} naming every problem, if there are any. */
  throwIfAny(): void {
    if (this.#problems.length > 0) throw this.toError();
  }

  /** `value` as a problem shows it: secrets `[redacted]`, a URL's user and password `***`. */
  #show(value: unknown, secret: boolean): string | undefined {
    const shown = this.#showAsGiven(value, secret);
    return shown === undefined ? undefined : hideUrlCredentials(shown);
  }

  #showAsGiven(value: unknown, secret: boolean): string | undefined {
    if (this.#subject === undefined) {
      if (value === undefined) return undefined;
      if (secret) return redactedText;
      return typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
    }
    if (secret) return redactedText;
    return typeof value === "string" ? JSON.stringify(value) : String(value);
  }
}
