import type { ServiceMetadata, StandardTraceSpan } from "../../generated/index.js";
import { isValidStandardTraceSpan } from "../../generated/emp/telemetry/v1/span_contract.js";
import { spanMessageBytes } from "../encoding/packed-spans.js";
import type { RepairCounts } from "../records/repair.js";
import type { Sink } from "../reliability/sink/sink.js";
import type { FinishedSpan, FinishedSpanProcessor } from "./lean-span.js";
import { spanToContract } from "./span-to-contract.js";
import type { Redaction } from "../records/redaction.js";

/**
 * The span processor of our TracerProvider, in place of OpenTelemetry's BatchSpanProcessor (which
 * drops what does not fit its 2048-span queue): every finished, sampled span becomes the contract's
 * StandardTraceSpan, is checked by the generated validator, and goes into our byte-bounded sink,
 * which batches, retries and accounts for it. Spans that fail validation even after repair are
 * counted as dropped `invalid`. Never throws.
 */
export class ContractSpanProcessor implements FinishedSpanProcessor {
  readonly #service: ServiceMetadata;
  readonly #sink: Sink<StandardTraceSpan>;
  readonly #counts: RepairCounts;
  readonly #redaction: Redaction | undefined;
  #internalErrors = 0;

  /** @param redaction - secret keys of attributes to redact (the client's log redaction), if any. */
  constructor(service: ServiceMetadata, sink: Sink<StandardTraceSpan>, counts: RepairCounts, redaction?: Redaction) {
    this.#service = service;
    this.#sink = sink;
    this.#counts = counts;
    this.#redaction = redaction;
  }

  /** Bugs caught while converting spans; should stay 0. */
  get internalErrors(): number {
    return this.#internalErrors;
  }

  onEnd(span: FinishedSpan): void {
    try {
      const contractSpan = spanToContract(span, this.#service, this.#counts, this.#redaction);
      if (isValidStandardTraceSpan(contractSpan)) this.#sink.enqueue(contractSpan, spanMessageBytes(contractSpan));
      else this.#sink.countDropped("invalid");
    } catch {
      this.#internalErrors++;
      this.#sink.countDropped("invalid");
    }
  }

  async forceFlush(): Promise<void> {
    await this.#sink.flush();
  }
}
