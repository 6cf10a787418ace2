import { EmpTelemetryClient } from "../../../runtime/client/emp-telemetry-client.js";

/** An API service's client (8 MiB default bound) whose Fluentd receiver refuses connections: nothing listens on `port`. */
export function closedReceiverClient(port: number): EmpTelemetryClient {
  return new EmpTelemetryClient({
    env: {},
    serviceName: "api-server",
    serviceType: "api",
    environment: "test",
    fluentd: { host: "127.0.0.1", port },
    otlp: { traces: false },
    handleExitSignals: false,
    registerGlobal: false,
  });
}
