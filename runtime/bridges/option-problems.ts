import { TelemetryError } from "../errors/telemetry-error.js";

/**
 * Collects a bridge's option problems (`key=value (expected …)`), starting with unknown keys, so the
 * factory reports every problem in one `config_invalid` {@link TelemetryError}. Internal to `runtime/bridges`.
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

  /** Records one problem. */
  add(key: string, value: unknown, expected: string): void {
    this.#problems.push(`${key}=${typeof value === "string" ? JSON.stringify(value) : String(value)} (expected ${expected})`);
  }

  /** Throws one `config_invalid` error naming every problem, if there are any. */
  throwIfAny(): void {
    if (this.#problems.length > 0) throw new TelemetryError(`invalid ${this.#component} options: ${this.#problems.join("; ")}`, "config_invalid");
  }
}
