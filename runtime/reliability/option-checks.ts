import { TelemetryError } from "../errors/telemetry-error.js";

/** Largest delay `setTimeout` accepts (about 24.8 days); longer values fire at once. */
export const maxTimerMs = 2_147_483_647;

/**
 * Collects option problems so a component can report all of them in one {@link TelemetryError}.
 * Internal to `runtime/reliability`.
 */
export class OptionProblems {
  readonly #component: string;
  readonly #problems: string[] = [];

  constructor(component: string, options: object, knownKeys: readonly string[]) {
    this.#component = component;
    for (const key of Object.keys(options)) {
      if (!knownKeys.includes(key)) this.add(key, "…", `no such option; known: ${knownKeys.join(", ")}`);
    }
  }

  /** Records one problem: `key=value (expected …)`. */
  add(key: string, value: unknown, expected: string): void {
    const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
    this.#problems.push(`${key}=${shown} (expected ${expected})`);
  }

  /** Checks `value` is an integer in `min..max`; `example` is a right value shown in the message. */
  integer(key: string, value: unknown, min: number, max: number, example: string): void {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.add(key, value, `an integer ${min}..${max}, e.g. ${example}`);
    }
  }

  /** Checks `value` is a function (or absent when `optional`). */
  func(key: string, value: unknown): void {
    if (value !== undefined && typeof value !== "function") this.add(key, typeof value, "a function");
  }

  /** Throws one `config_invalid` error naming every problem, if there are any. */
  throwIfAny(): void {
    if (this.#problems.length > 0) {
      throw new TelemetryError(`invalid ${this.#component} options: ${this.#problems.join("; ")}`, "config_invalid");
    }
  }
}
