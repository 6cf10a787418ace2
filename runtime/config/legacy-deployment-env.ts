import type { ConfigWarning } from "./telemetry-config.js";

/**
 * Service names that name no one service: the existing deployment sets `SERVICE_NAME=emp-service` for
 * the API, the webhook service and every machine alike.
 */
export const sharedServiceNames: ReadonlySet<string> = new Set(["emp-service", "unknown_service", "service", "app"]);

/**
 * One warning when the service name is one every service of a deployment shares: records stay
 * apart by type, machine, worker and instance (on every record), but `service.name` does not tell
 * them apart. `key` is the variable or option that gave it. Never throws.
 */
export function sharedServiceNameWarning(name: string, key: string): ConfigWarning[] {
  if (!sharedServiceNames.has(name)) return [];
  return [
    {
      key,
      message:
        `${key}=${name} is shared by every service of the deployment: records stay apart by emp.service.type, emp.machine.id, ` +
        "emp.worker.id and service.instance.id (on every record), but name each service (e.g. SERVICE_NAME=emp-api) to tell them apart by name",
    },
  ];
}
