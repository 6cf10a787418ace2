/**
 * Data key (Fluentd record key, OTLP attribute) carrying a pipeline probe's id through every hop:
 * the contract's key of `PipelineReport.probe_id`. Senders (`telemetry.test.*`) put it on probe
 * records; the local collector recognises probes by it.
 */
export const probeIdKey = "emp.health.probe_id";
