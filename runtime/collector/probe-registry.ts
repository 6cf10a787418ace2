import type { CollectorSignal, CollectorSource } from "./collector-records.js";

/**
 * The hops a probe can be seen at: one per input, OTLP/HTTP split by signal (a probe span and a
 * probe log record take different paths through an OTel collector).
 */
export type ProbeHop = "forward" | "http" | "otlpHttpLogs" | "otlpHttpTraces" | "otlpGrpc" | "dash0";

/** When a probe was first seen at a hop. */
export interface ProbeSighting {
  readonly atMs: number;
}

/** Answer of `GET /api/probes/<id>` and `collector.probe(id)`: `seen` is empty until the probe arrives anywhere. */
export interface ProbeReport {
  readonly id: string;
  readonly seen: Readonly<Partial<Record<ProbeHop, ProbeSighting>>>;
}

/** The probe hop of a record from `source` of `signal`. */
export function probeHopOf(source: CollectorSource, signal: CollectorSignal): ProbeHop {
  if (source === "otlpHttp") return signal === "spans" ? "otlpHttpTraces" : "otlpHttpLogs";
  return source;
}

/** Remembers where each probe id was first seen, forgetting the oldest ids beyond `maxProbes`. */
export class ProbeRegistry {
  readonly #seen = new Map<string, Partial<Record<ProbeHop, ProbeSighting>>>();
  readonly #maxProbes: number;

  constructor(maxProbes: number) {
    this.#maxProbes = maxProbes;
  }

  /** Number of probe ids remembered. */
  get size(): number {
    return this.#seen.size;
  }

  /** Records a sighting; the first one per hop is kept. */
  saw(id: string, hop: ProbeHop, atMs: number): void {
    let hops = this.#seen.get(id);
    if (hops === undefined) {
      hops = {};
      this.#seen.set(id, hops);
      if (this.#seen.size > this.#maxProbes) {
        const oldest = this.#seen.keys().next().value;
        if (oldest !== undefined) this.#seen.delete(oldest);
      }
    }
    hops[hop] ??= { atMs };
  }

  /** Where `id` has been seen so far (a copy). */
  report(id: string): ProbeReport {
    return { id, seen: { ...this.#seen.get(id) } };
  }
}
