import type { ConnectivityReport } from "../../generated/index.js";
import { overallOf, type StartupCheckReport } from "../client/startup-check.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import { type PipelineTestOptions, resolvePipelineTestOptions } from "../diagnostics/pipeline-test-options.js";
import type { PipelineTests } from "../diagnostics/pipeline-tests.js";
import { OptionProblems } from "../config/option-problems.js";
import { Backoff } from "../reliability/backoff.js";
import type { TransportError } from "../transports/transport-error.js";
import type { FluentdClient } from "./fluentd-client.js";
import type { OtelClient } from "./otel-client.js";

// The transports and diagnostics load on first use (dynamic imports), as the client's do.

/** Options of {@link ConnectionManager}; see {@link connectionManagerDefaults}. */
export interface ConnectionManagerOptions {
  /** Tries of each `ensure*` call before it rejects. Default 3. */
  attempts?: number;
  /** Deadline of one connection try, in ms. Default 5000. */
  connectTimeoutMs?: number;
  /** Options of the pipeline tests `testPipeline()` runs (deadline, monitor URLs). */
  pipelineTests?: PipelineTestOptions;
}

/** Defaults of {@link ConnectionManagerOptions}: three tries, 100/200 ms apart at most (full jitter), 5 s each. */
export const connectionManagerDefaults = Object.freeze({ attempts: 3, connectTimeoutMs: 5000 });

/** What `testPipeline()` resolves with: `overall` as the existing client judged it, and our report. */
export interface PipelineHealth {
  readonly overall: StartupCheckReport["overall"];
  /** Every configured hop (Fluentd, OTLP, Dash0, end to end) with its steps, latencies and remediations. */
  readonly report: ConnectivityReport;
}

/**
 * The seed's connection manager over our transports: `ensureFluentdConnection()` gives a connected,
 * handshaken forward connection (or a reachable `in_http` client), `ensureOtelConnection()` a warmed
 * keep-alive OTLP client, `testPipeline()` the pipeline's health. Each `ensure*` reuses its open
 * client, else tries `attempts` times with exponential backoff and full jitter, then rejects with
 * the last {@link TransportError} (code `unavailable`, `rejected`, ...; never a secret in it).
 * `testPipeline()` never rejects. The client's own sinks do not need this: they connect, retry
 * and break circuits by themselves; it is for code that talks to Fluentd or the collector itself.
 *
 * @throws TelemetryConfigError on bad options (the constructor is the only place it throws).
 */
export class ConnectionManager {
  readonly #config: TelemetryConfig;
  readonly #attempts: number;
  readonly #timeoutMs: number;
  readonly #pipelineOptions: PipelineTestOptions | undefined;
  #fluentd: Promise<FluentdClient> | undefined;
  #otel: Promise<OtelClient> | undefined;
  #tests: PipelineTests | undefined;

  /** @param config - a resolved configuration: `new TelemetryConfig(...)` or a client's `config`. */
  constructor(config: TelemetryConfig, options: ConnectionManagerOptions = {}) {
    const problems = new OptionProblems("connection manager");
    problems.unknownKeys(options, ["attempts", "connectTimeoutMs", "pipelineTests"]);
    const attempts = options.attempts ?? connectionManagerDefaults.attempts;
    const timeoutMs = options.connectTimeoutMs ?? connectionManagerDefaults.connectTimeoutMs;
    problems.integer("attempts", attempts, 1, 100, "3");
    problems.integer("connectTimeoutMs", timeoutMs, 1, 600_000, "5000");
    problems.throwIfAny();
    resolvePipelineTestOptions(options.pipelineTests);
    this.#config = config;
    this.#attempts = attempts;
    this.#timeoutMs = timeoutMs;
    this.#pipelineOptions = options.pipelineTests;
  }

  /** An open Fluentd client: the current one while its connection is open, else a new one. Rejects with a TransportError after every try failed. */
  ensureFluentdConnection(): Promise<FluentdClient> {
    const current = this.#fluentd;
    if (current !== undefined) {
      return current.then(
        (client) => (client.open ? client : this.#newFluentd()),
        () => this.#newFluentd(),
      );
    }
    return this.#newFluentd();
  }

  /** A warmed OTLP client, reused once made. Rejects with a TransportError after every try failed. */
  ensureOtelConnection(): Promise<OtelClient> {
    if (this.#otel === undefined) {
      const made = this.#retry(async () => (await import("./otel-client.js")).openOtelClient(this.#config));
      this.#otel = made;
      made.catch(() => {
        if (this.#otel === made) this.#otel = undefined;
      });
    }
    return this.#otel;
  }

  /** Every configured hop checked (`test.connectivity()`), within the pipeline tests' deadline. Never rejects. */
  async testPipeline(): Promise<PipelineHealth> {
    this.#tests ??= (await import("../diagnostics/pipeline-tests.js")).createPipelineTests(this.#config, this.#pipelineOptions);
    const report = await this.#tests.connectivity();
    return { overall: overallOf(report), report };
  }

  /** Closes the clients this manager made. Never rejects. */
  async close(): Promise<void> {
    const clients = [this.#fluentd, this.#otel];
    this.#fluentd = undefined;
    this.#otel = undefined;
    await Promise.all(
      clients.map((c) =>
        c?.then(
          (x) => x.close(),
          () => undefined,
        ),
      ),
    );
  }

  #newFluentd(): Promise<FluentdClient> {
    const made = this.#retry(async () => (await import("./fluentd-client.js")).openFluentdClient(this.#config, this.#timeoutMs));
    this.#fluentd = made;
    made.catch(() => {
      if (this.#fluentd === made) this.#fluentd = undefined;
    });
    return made;
  }

  async #retry<T extends object>(attempt: () => Promise<T | TransportError>): Promise<T> {
    const backoff = new Backoff();
    let last: TransportError | undefined;
    for (let i = 0; i < this.#attempts; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, backoff.nextDelayMs()).unref());
      const result = await attempt();
      if (!(result instanceof Error)) return result;
      last = result;
      if (result.code === "rejected" || result.code === "config_invalid") break; // a wrong key stays wrong
    }
    throw last;
  }
}
