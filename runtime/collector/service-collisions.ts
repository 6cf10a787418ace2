/** One source of records under a service name: its service type and machine (`""` when it has none). */
export interface ServiceSource {
  readonly type: string;
  readonly machine: string;
}

/** A `service.name` that several service types or machines send under (e.g. `SERVICE_NAME=emp-service` everywhere). */
export interface ServiceNameCollision {
  readonly service: string;
  /** The distinct (type, machine) pairs seen under it, in the order first seen (at most {@link maxSourcesPerService}). */
  readonly sources: readonly ServiceSource[];
}

/** Most distinct (type, machine) pairs kept per service name; more are not listed. */
export const maxSourcesPerService = 32;

/**
 * The distinct (type, machine) pairs seen under each service name, bounded per name (the names
 * themselves are bounded by the store's `maxServices`). A name with two or more is a collision:
 * records stay apart by `emp.service.type` and `emp.machine.id`, but `service.name` does not tell them apart.
 */
export class ServiceCollisions {
  readonly #sources = new Map<string, Map<string, ServiceSource>>();

  /** Notes that `service` sent a record as (`type`, `machine`). O(1). */
  saw(service: string, type: string, machine: string): void {
    let seen = this.#sources.get(service);
    if (seen === undefined) {
      seen = new Map();
      this.#sources.set(service, seen);
    }
    const key = `${type}\u0000${machine}`;
    if (!seen.has(key) && seen.size < maxSourcesPerService) seen.set(key, { type, machine });
  }

  /** Every service name with two or more sources, by name. */
  list(): ServiceNameCollision[] {
    const out: ServiceNameCollision[] = [];
    for (const [service, seen] of this.#sources) if (seen.size > 1) out.push({ service, sources: [...seen.values()] });
    return out.sort((a, b) => a.service.localeCompare(b.service));
  }
}
