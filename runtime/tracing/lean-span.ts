import {
  type Attributes,
  type AttributeValue,
  type Exception,
  type Link,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  SpanStatusCode,
  TraceFlags,
  type TimeInput,
  type TraceState,
  type Span as ApiSpan,
} from "@opentelemetry/api";
import type { LeanSpanLimits } from "./span-limits.js";
import { isAttributeValue } from "./attribute-value.js";
import { nowUnixNanos, timeInputToNanos } from "./clock.js";

/** A finished span's event. */
export interface FinishedSpanEvent {
  readonly name: string;
  readonly timeUnixNano: bigint;
  readonly attributes: Attributes;
}

/** What a span processor reads of a finished span: the fields the contract's StandardTraceSpan takes. */
export interface FinishedSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly traceId: string;
  readonly spanId: string;
  /** `""` for a root span. */
  readonly parentSpanId: string;
  readonly startUnixNano: bigint;
  readonly endUnixNano: bigint;
  /** `undefined` when never set (UNSET). */
  readonly status: SpanStatus | undefined;
  /** `undefined` when the span has none. */
  readonly attributes: Attributes | undefined;
  /** `undefined` when the span has none. */
  readonly events: readonly FinishedSpanEvent[] | undefined;
  readonly scope: SpanScope;
}

/** The instrumentation scope (tracer name and version) a span was made by. */
export interface SpanScope {
  readonly name: string;
  readonly version: string;
}

/** Where finished spans go. */
export interface FinishedSpanProcessor {
  /** Takes a finished, sampled span. Never throws. */
  onEnd(span: FinishedSpan): void;
  forceFlush(): Promise<void>;
}

/** What every span of one tracer shares. */
export interface SpanSettings {
  readonly scope: SpanScope;
  readonly limits: LeanSpanLimits;
  readonly processor: FinishedSpanProcessor;
}

/** {@link LeanSpan}'s flags above the trace flags: the span has ended; its start time was given (not read from the clock). */
const ended = 0x100;
const startGiven = 0x200;

/** A string (or each string of a list) cut to `limit` characters. */
function truncated(value: AttributeValue, limit: number): AttributeValue {
  if (typeof value === "string") return value.length > limit ? value.substring(0, limit) : value;
  if (Array.isArray(value)) return value.map((v: unknown) => (typeof v === "string" && v.length > limit ? v.substring(0, limit) : v)) as AttributeValue;
  return value;
}

/** `attributes` (any object) as span attributes: valid OpenTelemetry values only, at most `count` of them, strings cut to `length`. */
function eventAttributes(attributes: unknown, count: number, length: number): Attributes {
  const out: Attributes = {};
  if (typeof attributes !== "object" || attributes === null) return out;
  let n = 0;
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key) || key === "") continue;
    const value = (attributes as Record<string, unknown>)[key];
    if (value == null || !isAttributeValue(value)) continue;
    if (n++ >= count) break;
    out[key] = truncated(value, length);
  }
  return out;
}

/** Whether an `addEvent` argument is a time rather than attributes. */
function isTime(value: unknown): value is TimeInput {
  return typeof value === "number" || value instanceof Date || (Array.isArray(value) && value.length === 2 && typeof value[0] === "number");
}

/**
 * Our recording span: an `@opentelemetry/api` Span, so libraries that make spans through the global
 * API get one, with only what the contract keeps (no resource, no links, times as epoch nanoseconds,
 * attributes and events made when first set). It applies the span limits as OpenTelemetry's SDK does
 * (attribute count and value length, event count dropping the oldest, attributes per event) and,
 * when it ends sampled, hands itself to the processor once. Calls after `end` do nothing.
 */
export class LeanSpan implements ApiSpan, FinishedSpan {
  name: string;
  readonly kind: SpanKind;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly startUnixNano: bigint;
  endUnixNano = 0n;
  status: SpanStatus | undefined = undefined;
  attributes: Attributes | undefined = undefined;
  events: FinishedSpanEvent[] | undefined = undefined;
  readonly #settings: SpanSettings;
  /** The W3C trace flags (low 8 bits), with {@link ended} and {@link startGiven} above them: one field for three. */
  #flags: number;
  readonly #traceState: TraceState | undefined;
  #attributeCount = 0;
  #context: SpanContext | undefined = undefined;

  constructor(
    settings: SpanSettings,
    name: string,
    kind: SpanKind,
    traceId: string,
    spanId: string,
    parentSpanId: string,
    traceFlags: number,
    traceState: TraceState | undefined,
    startTime: TimeInput | undefined,
  ) {
    this.#settings = settings;
    this.name = name;
    this.kind = kind;
    this.traceId = traceId;
    this.spanId = spanId;
    this.parentSpanId = parentSpanId;
    this.#flags = (traceFlags & 0xff) | (startTime == null ? 0 : startGiven);
    this.#traceState = traceState;
    this.startUnixNano = startTime == null ? nowUnixNanos() : timeInputToNanos(startTime);
  }

  get scope(): SpanScope {
    return this.#settings.scope;
  }

  spanContext(): SpanContext {
    this.#context ??= { traceId: this.traceId, spanId: this.spanId, traceFlags: this.#flags & 0xff, traceState: this.#traceState };
    return this.#context;
  }

  setAttribute(key: string, value: AttributeValue): this {
    if ((this.#flags & ended) !== 0 || value == null || key === "" || typeof key !== "string" || !isAttributeValue(value)) return this;
    const limits = this.#settings.limits;
    const attributes = (this.attributes ??= {});
    const isNew = !Object.hasOwn(attributes, key);
    if (isNew && this.#attributeCount >= limits.attributeCountLimit) return this;
    attributes[key] = truncated(value, limits.attributeValueLengthLimit);
    if (isNew) this.#attributeCount++;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    if (typeof attributes !== "object" || attributes === null) return this;
    for (const key in attributes) if (Object.hasOwn(attributes, key)) this.setAttribute(key, attributes[key] as AttributeValue);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if ((this.#flags & ended) !== 0) return this;
    const limits = this.#settings.limits;
    if (limits.eventCountLimit <= 0) return this;
    const events = (this.events ??= []);
    if (events.length >= limits.eventCountLimit) events.shift();
    let at = time;
    let attributes: unknown = attributesOrTime;
    if (isTime(attributesOrTime)) {
      at ??= attributesOrTime;
      attributes = undefined;
    }
    events.push({
      name: String(name),
      timeUnixNano: at == null ? this.#now() : timeInputToNanos(at),
      attributes: eventAttributes(attributes, limits.attributePerEventCountLimit, limits.attributeValueLengthLimit),
    });
    return this;
  }

  /** Links are not part of the contract: kept by no one. */
  addLink(_link: Link): this {
    return this;
  }

  addLinks(_links: Link[]): this {
    return this;
  }

  setStatus(status: SpanStatus): this {
    if ((this.#flags & ended) !== 0 || status.code === SpanStatusCode.UNSET || this.status?.code === SpanStatusCode.OK) return this;
    this.status =
      status.code === SpanStatusCode.ERROR && typeof status.message === "string" ? { code: status.code, message: status.message } : { code: status.code };
    return this;
  }

  updateName(name: string): this {
    if ((this.#flags & ended) === 0) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    const flags = this.#flags;
    if ((flags & ended) !== 0) return;
    this.#flags = flags | ended;
    const end = endTime == null ? this.#now() : timeInputToNanos(endTime);
    this.endUnixNano = end < this.startUnixNano ? this.startUnixNano : end;
    if ((flags & TraceFlags.SAMPLED) !== 0) this.#settings.processor.onEnd(this);
  }

  isRecording(): boolean {
    return (this.#flags & ended) === 0;
  }

  /** An `exception` event with OpenTelemetry's semantic attributes, as OpenTelemetry's SDK records it. */
  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === "string") attributes["exception.message"] = exception;
    else if (typeof exception === "object" && exception !== null) {
      if (exception.code) attributes["exception.type"] = String(exception.code);
      else if (exception.name) attributes["exception.type"] = exception.name;
      if (exception.message) attributes["exception.message"] = exception.message;
      if (exception.stack) attributes["exception.stacktrace"] = exception.stack;
    }
    if (attributes["exception.type"] || attributes["exception.message"]) this.addEvent("exception", attributes, time);
  }

  /** Now; after a start time the caller gave, the wall clock (as OpenTelemetry's SDK does). */
  #now(): bigint {
    return (this.#flags & startGiven) !== 0 ? BigInt(Date.now()) * 1_000_000n : nowUnixNanos();
  }
}
