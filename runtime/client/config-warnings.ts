import type { ConfigWarning } from "../config/telemetry-config.js";

/** Warning lines printed by this process so far: each is printed once, however many clients are made. */
const printed = new Set<string>();

/**
 * Prints each configuration warning (a misspelled variable, an old name) as one line,
 * `[emp-telemetry] config warning: FLUENTD_HOTS is not read by @emp/telemetry; did you mean FLUENTD_HOST?`,
 * once per process. Never throws (a closed stderr is ignored).
 */
export function printConfigWarnings(warnings: readonly ConfigWarning[], write: (line: string) => void): void {
  for (const warning of warnings) {
    const line = `[emp-telemetry] config warning: ${warning.message}\n`;
    if (printed.has(line)) continue;
    printed.add(line);
    try {
      write(line);
    } catch {
      // stderr closed: the warning stays in health().warnings
    }
  }
}
