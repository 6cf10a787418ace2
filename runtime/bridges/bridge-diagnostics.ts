/**
 * Rate-limited diagnostics for a bridge: the first occurrence of each kind only (like the sink's and
 * OTel's first-drop log), sent to the `onDiagnostic` listener, never through our own sinks.
 * Internal to `runtime/bridges`.
 */
export class BridgeDiagnostics {
  readonly #name: string;
  readonly #listener: ((message: string) => void) | undefined;
  readonly #seen = new Set<string>();
  /** Times the listener threw; bridges report it in their `internalErrors` counter. */
  listenerErrors = 0;

  constructor(name: string, listener: ((message: string) => void) | undefined) {
    this.#name = name;
    this.#listener = listener;
  }

  /** Reports `message` if no diagnostic of `kind` was reported before. Never throws. */
  report(kind: string, message: string): void {
    if (this.#seen.has(kind)) return;
    this.#seen.add(kind);
    const listener = this.#listener;
    if (listener === undefined) return;
    try {
      listener(`[${this.#name}] ${message}`);
    } catch {
      this.listenerErrors++;
    }
  }
}

/** The message of anything caught, for a diagnostic; never throws. */
export function reasonText(reason: unknown): string {
  try {
    return reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  } catch {
    return "(unprintable)";
  }
}
