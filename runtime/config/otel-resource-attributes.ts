import { buildServiceMetadata, serviceMetadataToAttributes } from "../../generated/emp/telemetry/v1/service_contract.js";
import type { ConfigWarning } from "./telemetry-config.js";

/** Every resource attribute key our own resource can set (the contract's ServiceMetadata slots). */
export const ownResourceKeys: ReadonlySet<string> = new Set(
  Object.keys(
    serviceMetadataToAttributes(
      buildServiceMetadata({
        name: "n",
        type: 1,
        environment: "e",
        version: "v",
        machineId: "m",
        workerId: "w",
        instanceId: "i",
        host: "h",
        machineType: "t",
        connectorType: "c",
      }),
    ),
  ),
);

/**
 * `OTEL_RESOURCE_ATTRIBUTES` merged under our resource: keys our resource sets (`service.name`,
 * `service.instance.id`, …) are ours, and a different value given for one gets a warning naming it; the
 * rest are kept. Never throws.
 */
export function mergeResourceAttributes(
  given: Readonly<Record<string, string>>,
  service: { readonly name: string; readonly environment: string; readonly version: string | undefined; readonly instanceId: string },
  key: string,
  warnings: ConfigWarning[],
): Readonly<Record<string, string>> {
  const ours = serviceMetadataToAttributes(buildServiceMetadata({ ...service, version: service.version ?? "" }));
  const extra: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (!ownResourceKeys.has(name)) {
      extra[name] = value;
      continue;
    }
    const own = ours[name];
    if (own !== undefined && String(own) !== value) {
      warnings.push({ key, message: `${key} sets ${name}=${JSON.stringify(value)}, but ours is ${JSON.stringify(own)}: ours wins` });
    }
  }
  return extra;
}
