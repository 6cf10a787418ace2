import { CONTRACT_VERSION } from "../../generated/index.js";
import { resolveCollectorOptions, type CollectorOptions, type ResolvedCollectorOptions } from "./collector-options.js";
import type { ReceivedRecord } from "./collector-records.js";
import { startDash0Input } from "./dash0-input.js";
import { startForwardInput, type ForwardConnectionStats } from "./forward-input.js";
import { startHttpInput } from "./http-input.js";
import type { RunningServer } from "./listening.js";
import { openNdjsonFiles } from "./ndjson-files.js";
import { startOtlpGrpcInput } from "./otlp-grpc-input.js";
import { startOtlpHttpInput } from "./otlp-http-input.js";
import type { ProbeReport } from "./probe-registry.js";
import { startStatusServer } from "./status-server.js";
import { CollectorStore, type StoreSnapshot } from "./store.js";
import type { TraceView } from "./trace-index.js";

/** The ports the collector listens on (the real ones when 0 was asked for). */
export interface CollectorPorts {
  readonly forward: number;
  readonly http: number;
  readonly otlpHttp: number;
  readonly otlpGrpc: number;
  readonly dash0: number;
  readonly status: number;
}

/** `GET /api/status` and `collector.status()`. */
export interface CollectorStatus extends StoreSnapshot {
  readonly startedAtMs: number;
  readonly uptimeMs: number;
  /** Contract version the live check validates against. */
  readonly contractVersion: string;
  readonly host: string;
  readonly ports: CollectorPorts;
  /** Whether the forward input requires the shared-key handshake. */
  readonly sharedKeyRequired: boolean;
  /** Dataset the Dash0 stand-in accepts, `""` for any. */
  readonly dash0Dataset: string;
  /** Forward connections: open, refused over the cap, closed idle, dropped over a byte budget. */
  readonly forwardConnections: ForwardConnectionStats;
  /** The limits in force (see {@link CollectorOptions}). */
  readonly limits: CollectorLimits;
}

/** The collector's limits, as the status shows them. */
export type CollectorLimits = Pick<
  ResolvedCollectorOptions,
  | "maxBodyBytes"
  | "maxRecordsPerRequest"
  | "maxRecordsPerSecond"
  | "maxItemsPerRequest"
  | "recentPerService"
  | "recentBytes"
  | "forwardIdleTimeoutMs"
  | "forwardMaxConnections"
  | "forwardMaxPendingBytes"
>;

/** A running local collector; see {@link startCollector}. */
export interface Collector {
  readonly ports: CollectorPorts;
  readonly options: ResolvedCollectorOptions;
  /** Counts, hop health, violations and recent records, JSON-ready. */
  status(): CollectorStatus;
  /** Where probe `id` (a record's `emp.health.probe_id`) has been seen. */
  probe(id: string): ProbeReport;
  /** Trace `traceId`'s spans nested by parent (with their logs), or `undefined` when it is not (or no longer) kept. */
  trace(traceId: string): TraceView | undefined;
  /** Calls `listener` with every stored record; returns a function that stops it. */
  onRecord(listener: (record: ReceivedRecord) => void): () => void;
  /** Resolves when every record received so far is written to the NDJSON files. Never rejects. */
  flush(): Promise<void>;
  /** Stops every input, destroys open connections and closes the files. Idempotent; never rejects. */
  close(): Promise<void>;
}

async function closeAll(servers: readonly RunningServer[]): Promise<void> {
  await Promise.all(servers.map((s) => s.close().catch(() => undefined)));
}

/**
 * Starts the local collector (`emp-telemetry dev`): one process on 127.0.0.1 standing in for the
 * whole pipeline — a Fluentd forward input (all modes, ack, optional shared key), a Fluentd
 * `in_http`-style input, OTLP/HTTP and OTLP/gRPC inputs, a Dash0 stand-in checking the Bearer token
 * and dataset — storing every record (NDJSON per signal, recent ones in memory), checking it live
 * against the contract, remembering probes, and serving a status API and live page.
 *
 * Failure behaviour: throws `TelemetryConfigError` (`config_invalid`) on bad options and rejects
 * with `TelemetryError` (`unavailable`) when a port cannot be bound or the data directory cannot be
 * created, and with `MissingDependencyError` (`dependency_missing`) when the optional peer
 * `@connectrpc/connect-node` (its OTLP/gRPC input) is not installed, after closing what had started.
 * Once running, nothing a client sends can make it throw:
 * bad input is refused, counted per hop and shown.
 */
export async function startCollector(options: CollectorOptions = {}): Promise<Collector> {
  const o = resolveCollectorOptions(options);
  const files = await openNdjsonFiles(o.dataDir);
  const store = new CollectorStore(files, o);
  const servers: RunningServer[] = [];
  const startedAtMs = Date.now();
  const limits: CollectorLimits = Object.freeze({
    maxBodyBytes: o.maxBodyBytes,
    maxRecordsPerRequest: o.maxRecordsPerRequest,
    maxRecordsPerSecond: o.maxRecordsPerSecond,
    maxItemsPerRequest: o.maxItemsPerRequest,
    recentPerService: o.recentPerService,
    recentBytes: o.recentBytes,
    forwardIdleTimeoutMs: o.forwardIdleTimeoutMs,
    forwardMaxConnections: o.forwardMaxConnections,
    forwardMaxPendingBytes: o.forwardMaxPendingBytes,
  });
  const base = { host: o.host, maxBodyBytes: o.maxBodyBytes };
  let ports: CollectorPorts;
  try {
    const start = async (server: Promise<RunningServer>): Promise<number> => {
      const s = await server;
      servers.push(s);
      return s.port;
    };
    const forwardInput = await startForwardInput(
      {
        host: o.host,
        port: o.forwardPort,
        sharedKey: o.sharedKey,
        selfHostname: o.selfHostname,
        maxMessageBytes: o.maxBodyBytes,
        idleTimeoutMs: o.forwardIdleTimeoutMs,
        maxConnections: o.forwardMaxConnections,
        maxPendingBytes: o.forwardMaxPendingBytes,
      },
      store,
    );
    servers.push(forwardInput);
    const forward = forwardInput.port;
    const http = await start(startHttpInput({ ...base, port: o.httpPort }, store));
    const otlpHttp = await start(startOtlpHttpInput({ ...base, port: o.otlpHttpPort }, store));
    const otlpGrpc = await start(startOtlpGrpcInput({ ...base, port: o.otlpGrpcPort }, store));
    const dash0 = await start(startDash0Input({ ...base, port: o.dash0Port, token: o.dash0Token, dataset: o.dash0Dataset }, store));
    ports = Object.freeze({ forward, http, otlpHttp, otlpGrpc, dash0, status: 0 });
    const statusSource = {
      status: (): CollectorStatus => ({
        startedAtMs,
        uptimeMs: Date.now() - startedAtMs,
        contractVersion: CONTRACT_VERSION,
        host: o.host,
        ports,
        sharedKeyRequired: o.sharedKey !== "",
        dash0Dataset: o.dash0Dataset,
        forwardConnections: forwardInput.stats(),
        limits,
        ...store.snapshot(),
      }),
      probe: (id: string) => store.probe(id),
      trace: (id: string) => store.trace(id),
    };
    const status = await start(startStatusServer({ host: o.host, port: o.statusPort }, statusSource));
    ports = Object.freeze({ ...ports, status });
    let closing: Promise<void> | undefined;
    return {
      ports,
      options: o,
      status: statusSource.status,
      probe: statusSource.probe,
      trace: statusSource.trace,
      onRecord(listener) {
        store.on("record", listener);
        return () => store.off("record", listener);
      },
      flush: () => store.flush(),
      close() {
        closing ??= (async () => {
          await closeAll(servers);
          await files.close();
          store.removeAllListeners();
        })();
        return closing;
      },
    };
  } catch (e: unknown) {
    await closeAll(servers);
    await files.close();
    throw e;
  }
}
