import { sharedServiceNames, sharedServiceNameWarning } from "../config/legacy-deployment-env.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";

/** How long the doctor waits for the collector's status API, in ms. */
const statusTimeoutMs = 2000;

/** One collision as `GET /api/status` lists it (`collisions`). */
interface StatusCollision {
  readonly service: string;
  readonly sources: readonly { readonly type: string; readonly machine: string }[];
}

/** The configuration's shared-name warning (`SERVICE_NAME=emp-service` and the like), once, when it has one. */
export function sharedNameLines(config: TelemetryConfig): string[] {
  const name = config.service.name;
  if (!sharedServiceNames.has(name)) return [];
  const shared = config.warnings.find((w) => sharedServiceNameWarning(name, w.key)[0]?.message === w.message);
  return shared === undefined ? [] : [shared.message];
}

/** `(type, machine)` pairs as a reader says them: `api, webhook, machine on m-1`. */
function sourcesText(sources: StatusCollision["sources"]): string {
  return sources.map((s) => (s.machine === "" ? s.type : `${s.type} on ${s.machine}`)).join(", ");
}

/**
 * The service names the local collector at `collectorUrl` sees several service types or machines send
 * under, one line each, from its status API; a line saying why when it cannot be read. Never throws.
 */
export async function collectorCollisionLines(collectorUrl: string): Promise<string[]> {
  const url = `${collectorUrl.replace(/\/+$/, "")}/api/status`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(statusTimeoutMs), headers: { accept: "application/json" } });
    const body: unknown = await res.json();
    const listed = typeof body === "object" && body !== null ? (body as { collisions?: unknown }).collisions : undefined;
    if (!Array.isArray(listed)) return [`the collector's status API (${url}) lists no collisions: an older collector?`];
    return (listed as StatusCollision[]).map(
      (c) =>
        `the collector sees service.name "${c.service}" from ${String(c.sources.length)} sources: ${sourcesText(c.sources)}; give each its own SERVICE_NAME`,
    );
  } catch (error: unknown) {
    return [`the collector's status API (${url}) could not be read: ${error instanceof Error ? error.message : String(error)}`];
  }
}

/** The doctor's "service identity" section, or "" when there is nothing to say. */
export function identitySection(lines: readonly string[]): string {
  return lines.length === 0 ? "" : `\nservice identity:\n${lines.map((l) => `  ! ${l}\n`).join("")}`;
}
