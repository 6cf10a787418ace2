import type { DescMessage } from "@bufbuild/protobuf";
import {
  serviceTypeNames,
  type ServiceMetadata,
  StandardLogEntrySchema,
  StandardTraceSpanSchema,
  validateStandardLogEntry,
  validateStandardTraceSpan,
  type Value,
  type Violation,
} from "../../generated/index.js";
import { boundedText } from "./bounded-text.js";
import type { CollectorSignal, CollectorSource, CollectorViolation, IncomingRecord } from "./collector-records.js";
import { otlpLogSource, otlpSpanSource, plainSource, type KeyNaming } from "./contract-source.js";
import { readableViolation } from "./readable-violation.js";
import { recordKeyOfPath, reverseMap } from "./reverse-mapping.js";

/** The data key / attribute that marks a record as an end-to-end probe. */
import { probeIdKey } from "../records/probe-key.js";

export { probeIdKey };

/** Service name shown for records without `service.name`. */
export const unknownService = "unknown";

/** Longest service name kept (a longer one is cut, as a copy: the name keys the per-service counts and records). */
const maxServiceNameLength = 256;

/** Service name counted for services beyond `maxServices`. */
export const otherServices = "(other)";

/** A record after the live contract check. */
export interface CheckedRecord {
  readonly signal: CollectorSignal;
  /** `service.name` read through the contract mapping, or {@link unknownService}. */
  readonly service: string;
  /** Mapping problems, then the generated validator's violations; empty when the record is valid. */
  readonly violations: readonly CollectorViolation[];
  readonly probeId?: string;
  /** The record's service type name (`api`, …; `unspecified` when absent) and machine id (`""` when none). */
  readonly type: string;
  readonly machine: string;
}

function withKeys(schema: DescMessage, naming: KeyNaming, violations: readonly Violation[]): CollectorViolation[] {
  return violations.map((v) => {
    const key = recordKeyOfPath(schema, naming, v.path);
    return key === undefined ? { ...v } : { ...v, key };
  });
}

function text(v: Value | undefined): string | undefined {
  if (v === undefined) return undefined;
  const k = v.kind;
  return k.case === "stringValue" ? k.value : k.case === "intValue" ? k.value.toString() : undefined;
}

/**
 * The live contract check: maps a received record back to the contract — a Fluentd record or an
 * OTLP log record to `StandardLogEntry`, an OTLP span to `StandardTraceSpan` (see
 * {@link reverseMap}) — and validates it with the generated validators. Never throws.
 */
export function checkRecord(incoming: IncomingRecord): CheckedRecord {
  if (incoming.kind === "otlpSpan") {
    const { message, problems } = reverseMap(StandardTraceSpanSchema, otlpSpanSource(incoming.record));
    const violations = withKeys(StandardTraceSpanSchema, "otlp", [...problems, ...validateStandardTraceSpan(message)]);
    const probeId = text(message.attributes[probeIdKey]) ?? stringOf(incoming.record.resource[probeIdKey]);
    return checked("spans", message.service, violations, probeId);
  }
  const fluent = incoming.kind === "fluent";
  const source = fluent ? plainSource(incoming.record, "fluent", incoming.timeNanos) : otlpLogSource(incoming.record);
  const { message, problems } = reverseMap(StandardLogEntrySchema, source);
  const violations = withKeys(StandardLogEntrySchema, fluent ? "fluent" : "otlp", [...problems, ...validateStandardLogEntry(message)]);
  const probeId = text(message.data[probeIdKey]) ?? (fluent ? undefined : stringOf(incoming.record.resource[probeIdKey]));
  return checked("logs", message.service, violations, probeId);
}

function stringOf(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

function checked(signal: CollectorSignal, metadata: ServiceMetadata | undefined, violations: CollectorViolation[], probeId: string | undefined): CheckedRecord {
  const name = metadata?.name;
  const service = name === undefined || name === "" ? unknownService : boundedText(name, maxServiceNameLength);
  const identity = { type: serviceTypeNames[metadata?.type ?? 0] ?? "unspecified", machine: boundedText(metadata?.machineId ?? "", maxServiceNameLength) };
  return probeId === undefined || probeId === "" ? { signal, service, violations, ...identity } : { signal, service, violations, probeId, ...identity };
}

/** One kept violation, for the status API and page. */
export interface ViolationEvent extends CollectorViolation {
  readonly atMs: number;
  readonly service: string;
  readonly signal: CollectorSignal;
  readonly source: CollectorSource;
  /** Sequence number of the record (see `ReceivedRecord.seq`). */
  readonly seq: number;
  /** What is wrong in words (`readableViolation`), beside the validator's own `message`. */
  readonly text: string;
}

/** Snapshot of {@link ViolationTally}. */
export interface ViolationSummary {
  /** Violations seen (a record with two counts two). */
  readonly total: number;
  /** Records with at least one violation. */
  readonly records: number;
  readonly byService: Readonly<Record<string, number>>;
  readonly byRule: Readonly<Record<string, number>>;
  /** Per service, per rule. */
  readonly byServiceAndRule: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The most recent violations, oldest first. */
  readonly recent: readonly ViolationEvent[];
}

/**
 * Counts contract violations per service and per rule and keeps the most recent `keep`. At most
 * `maxServices` services are counted by name; later ones are counted under {@link otherServices}.
 */
export class ViolationTally {
  #total = 0;
  #records = 0;
  readonly #byService = new Map<string, number>();
  readonly #byRule = new Map<string, number>();
  readonly #byServiceAndRule = new Map<string, Map<string, number>>();
  readonly #recent: ViolationEvent[] = [];
  readonly #keep: number;
  readonly #maxServices: number;

  /**
   * @param keep - how many recent violations to keep.
   * @param maxServices - how many services to count by name.
   */
  constructor(keep: number, maxServices: number) {
    this.#keep = keep;
    this.#maxServices = maxServices;
  }

  /** Adds the violations of one record. */
  add(base: Omit<ViolationEvent, keyof CollectorViolation | "text">, violations: readonly CollectorViolation[]): void {
    if (violations.length === 0) return;
    this.#records++;
    const known = this.#byServiceAndRule.has(base.service) || this.#byServiceAndRule.size < this.#maxServices;
    const service = known ? base.service : otherServices;
    let perRule = this.#byServiceAndRule.get(service);
    if (perRule === undefined) this.#byServiceAndRule.set(service, (perRule = new Map()));
    for (const v of violations) {
      this.#total++;
      bump(this.#byService, service);
      bump(this.#byRule, v.rule);
      bump(perRule, v.rule);
      this.#recent.push({ ...base, ...v, text: readableViolation(v) });
      if (this.#recent.length > this.#keep) this.#recent.shift();
    }
  }

  /** A JSON-ready copy of the counts and recent violations. */
  summary(): ViolationSummary {
    const byServiceAndRule: Record<string, Record<string, number>> = {};
    for (const [service, rules] of this.#byServiceAndRule) byServiceAndRule[service] = Object.fromEntries(rules);
    return {
      total: this.#total,
      records: this.#records,
      byService: Object.fromEntries(this.#byService),
      byRule: Object.fromEntries(this.#byRule),
      byServiceAndRule,
      recent: [...this.#recent],
    };
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
