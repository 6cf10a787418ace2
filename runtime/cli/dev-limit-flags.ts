import { collectorDefaults, type CollectorOptions } from "../collector/collector-options.js";

/** The collector's limits `emp-telemetry dev` takes as flags: flag name → `CollectorOptions` key. */
export const devLimitFlags = Object.freeze({
  "max-body-bytes": "maxBodyBytes",
  "max-records-per-request": "maxRecordsPerRequest",
  "max-records-per-second": "maxRecordsPerSecond",
  "max-items-per-request": "maxItemsPerRequest",
  "recent-bytes": "recentBytes",
  "forward-idle-timeout-ms": "forwardIdleTimeoutMs",
  "forward-max-connections": "forwardMaxConnections",
  "forward-max-pending-bytes": "forwardMaxPendingBytes",
} as const satisfies Readonly<Record<string, keyof CollectorOptions & keyof typeof collectorDefaults>>);

type LimitKey = (typeof devLimitFlags)[keyof typeof devLimitFlags];

/** Help lines of the limit flags, with their defaults. */
export function devLimitFlagsHelp(): string {
  return Object.entries(devLimitFlags)
    .map(([flag, key]) => `  --${`${flag} N`.padEnd(30)}collector option ${key} (default ${collectorDefaults[key]})`)
    .join("\n");
}

/**
 * The limit flags given, as collector options, or every flag that is not a whole number (the
 * collector's own check then names values out of range, all at once).
 */
export function devLimitOptions(values: Readonly<Record<string, unknown>>): {
  readonly options: Partial<Record<LimitKey, number>>;
  readonly problems: string[];
} {
  const options: Partial<Record<LimitKey, number>> = {};
  const problems: string[] = [];
  for (const [flag, key] of Object.entries(devLimitFlags)) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const text = String(raw).trim();
    if (/^\d+$/.test(text)) options[key] = Number(text);
    else problems.push(`--${flag} ${JSON.stringify(String(raw))} is not a whole number`);
  }
  return { options, problems };
}
