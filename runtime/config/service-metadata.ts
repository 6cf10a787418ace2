import type { ServiceMetadata, ServiceType as ContractServiceType } from "../../generated/index.js";
import { buildServiceMetadata, serviceTypeValues } from "../../generated/emp/telemetry/v1/service_contract.js";
import type { ServiceType } from "./service-defaults.js";
import type { TelemetryConfig } from "./telemetry-config.js";

const contractServiceTypes: Readonly<Record<ServiceType, ContractServiceType>> = Object.freeze({
  api: serviceTypeValues.API,
  webhook: serviceTypeValues.WEBHOOK,
  machine: serviceTypeValues.MACHINE,
  worker: serviceTypeValues.WORKER,
});

/** The contract's ServiceMetadata of a resolved configuration, with the profile's machine and connector types. */
export function serviceMetadataFromConfig(config: TelemetryConfig, extra: { machineType?: string; connectorType?: string } = {}): ServiceMetadata {
  const s = config.service;
  return buildServiceMetadata({
    name: s.name,
    type: contractServiceTypes[s.type],
    environment: s.environment,
    version: s.version ?? "",
    machineId: s.machineId ?? "",
    workerId: s.workerId ?? "",
    instanceId: s.instanceId,
    host: s.host,
    machineType: extra.machineType ?? "",
    connectorType: extra.connectorType ?? "",
  });
}
