import { scrubKnownSecrets } from "../config/known-secrets.js";

/** Writes internal events (drops, breaker changes, retries) for people debugging the pipeline. */
export type Diagnostics = (message: string) => void;

/** Writes `line` on stderr (synchronous for files, pipes and terminals on Linux). */
export function writeStderr(line: string): void {
  process.stderr.write(line);
}

/**
 * Debug-mode diagnostics on stderr, at most `perSecond` lines a second (the rest counted and said
 * once the window passes); a no-op when `enabled` is false. Every configured secret is scrubbed from
 * each line. Diagnostics never go through our own sinks, and never throw.
 */
export function createDiagnostics(enabled: boolean, write: (line: string) => void = writeStderr, perSecond = 20): Diagnostics {
  if (!enabled) return () => undefined;
  let windowStart = 0;
  let inWindow = 0;
  let suppressed = 0;
  return (message) => {
    try {
      const now = Date.now();
      if (now - windowStart >= 1000) {
        if (suppressed > 0) write(`[emp-telemetry] ${suppressed} diagnostics suppressed (rate limit)\n`);
        windowStart = now;
        inWindow = 0;
        suppressed = 0;
      }
      if (++inWindow > perSecond) {
        suppressed++;
        return;
      }
      write(`[emp-telemetry] ${new Date(now).toISOString()} ${scrubKnownSecrets(message)}\n`);
    } catch {
      // stderr closed: nothing else to tell
    }
  };
}
