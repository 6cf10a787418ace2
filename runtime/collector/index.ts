/**
 * `@emp/telemetry/collector`: the local collector `emp-telemetry dev` runs on 127.0.0.1: forward
 * (ack, shared key), Fluentd `in_http`, OTLP/HTTP and OTLP/gRPC inputs, a Dash0 stand-in, NDJSON
 * storage, contract checks of every record and a live page. Tests and the demo start it on ephemeral
 * ports. OTLP/gRPC needs the optional peers `@connectrpc/connect` and `@connectrpc/connect-node`.
 */
export { startCollector } from "./collector.js";
export type { Collector, CollectorLimits, CollectorPorts, CollectorStatus } from "./collector.js";
export { collectorDefaults } from "./collector-options.js";
export type { CollectorOptions } from "./collector-options.js";
export type { CollectorSignal, CollectorSource, CollectorViolation, ReceivedRecord } from "./collector-records.js";
export type { HopStats, ServiceCounts, StoreSnapshot } from "./store.js";
export type { RecentRecordsStats } from "./recent-records.js";
