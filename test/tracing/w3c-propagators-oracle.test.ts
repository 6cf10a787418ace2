// Our W3C propagators, composite, attribute-value check and suppression flag against
// `@opentelemetry/core`'s (the oracle, a devDependency): same carrier injected, same context extracted.
import {
  type Context,
  createTraceState,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
  type SpanContext,
  type TextMapPropagator,
  trace,
} from "@opentelemetry/api";
import * as core from "@opentelemetry/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAttributeValue } from "../../runtime/tracing/attribute-value.js";
import { CompositePropagator } from "../../runtime/tracing/composite-propagator.js";
import { isTracingSuppressed } from "../../runtime/tracing/suppress-tracing.js";
import { W3CTraceState } from "../../runtime/tracing/trace-state.js";
import { W3CBaggagePropagator } from "../../runtime/tracing/w3c-baggage-propagator.js";
import { W3CTraceContextPropagator } from "../../runtime/tracing/w3c-trace-context-propagator.js";

type Carrier = Record<string, string | string[]>;
const ours = new CompositePropagator([new W3CTraceContextPropagator(), new W3CBaggagePropagator()]);
const theirs = new core.CompositePropagator({ propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()] });

/** What an extracted context holds, as plain data (trace state serialized, baggage entries with metadata). */
function contextValues(ctx: Context): unknown {
  const span = trace.getSpanContext(ctx);
  const baggage = propagation.getBaggage(ctx);
  return {
    span: span && { ...span, traceState: span.traceState?.serialize() },
    baggage: baggage?.getAllEntries().map(([k, e]) => [k, e.value, e.metadata?.toString()]),
  };
}

const extracted = (p: TextMapPropagator, carrier: Carrier, base: Context = ROOT_CONTEXT) => contextValues(p.extract(base, carrier, defaultTextMapGetter));
function injected(p: TextMapPropagator, ctx: Context): Carrier {
  const carrier: Carrier = {};
  p.inject(ctx, carrier, defaultTextMapSetter);
  return carrier;
}

/** Extract, then inject what was extracted: both must match core's, and our round trip must equal core's. */
function expectSameAsCore(carrier: Carrier): void {
  expect(extracted(ours, carrier)).toEqual(extracted(theirs, carrier));
  const ctx = theirs.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
  expect(injected(ours, ctx)).toEqual(injected(theirs, ctx));
  expect(injected(ours, ours.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter))).toEqual(injected(theirs, ctx));
}

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
const traceparent = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("00", "01", "ff", "0g", "cc"),
      fc.oneof(hex(32), fc.constant("0".repeat(32)), hex(31)),
      fc.oneof(hex(16), fc.constant("0".repeat(16))),
      fc.oneof(hex(2), fc.constant("zz")),
      fc.constantFrom("", "-", "-x", "-00"),
      fc.constantFrom("", " ", "\t"),
    )
    .map(([v, t, s, f, tail, ws]) => `${ws}${v}-${t}-${s}-${f}${tail}${ws}`),
  fc.string(),
);
const tsKey = fc.oneof(
  fc.stringMatching(/^[a-z][_0-9a-z*/-]{0,12}$/),
  fc.stringMatching(/^[a-z0-9]{1,5}@[a-z][a-z0-9]{0,4}$/),
  fc.string({ maxLength: 6 }),
  fc.constant("a".repeat(257)),
);
const tsValue = fc.oneof(fc.stringMatching(/^[ -+\--<>-~]{0,20}[!-+\--<>-~]$/), fc.string({ maxLength: 8 }), fc.constant("v".repeat(300)));
const tracestate = fc
  .array(fc.tuple(tsKey, tsValue, fc.constantFrom("", " ")), { maxLength: 40 })
  .map((ms) => ms.map(([k, v, ws]) => `${ws}${k}=${v}${ws}`).join(","));
const bgKey = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.-]{1,10}$/), fc.string({ maxLength: 8 }), fc.constantFrom("%", "%zz", "%41b", " k "));
const bgValue = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9%_.-]{0,10}$/),
  fc.string({ maxLength: 8 }),
  fc.constantFrom("%20x", "%E0%A4%A", "a=b", "x".repeat(4100)),
);
const bgMeta = fc.constantFrom("", ";", ";p=1", ";flag;q=a=b", "; x ");
const baggage = fc.array(fc.tuple(bgKey, bgValue, bgMeta), { maxLength: 12 }).map((ps) => ps.map(([k, v, m]) => `${k}=${v}${m}`).join(","));

describe("W3C propagators against @opentelemetry/core's", () => {
  it("extract and inject traceparent/tracestate as core does, for valid, invalid and edge-case headers", () => {
    fc.assert(
      fc.property(traceparent, fc.option(fc.oneof(tracestate, fc.array(tracestate, { maxLength: 3 }))), (tp, ts) => {
        expectSameAsCore(ts === null ? { traceparent: tp } : { traceparent: tp, tracestate: ts });
      }),
      { numRuns: 2000 },
    );
  });

  it("extract and inject baggage as core does: percent-encoding, metadata, malformed members", () => {
    fc.assert(
      fc.property(fc.oneof(baggage, fc.array(baggage, { minLength: 1, maxLength: 3 })), (b) => expectSameAsCore({ baggage: b })),
      { numRuns: 2000 },
    );
  });

  it("applies core's baggage limits: 180 pairs, 4096 characters a pair, 8192 in all, across several headers", () => {
    const many = Array.from({ length: 250 }, (_, i) => `k${i}=v${i}`).join(",");
    const big = Array.from({ length: 5 }, (_, i) => `b${i}=${"x".repeat(2000)}`).join(",");
    const long = `long=${"y".repeat(4092)},short=1`;
    for (const b of [many, big, long, [big, many], [many, many], `${"z".repeat(4097)}=1,a=1`]) {
      expectSameAsCore({ baggage: b });
    }
    const entries = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`key ${i}`, { value: `v/${i}${"w".repeat(i * 30)}` }]));
    const ctx = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage(entries));
    expect(injected(ours, ctx)).toEqual(injected(theirs, ctx));
    expect((injected(ours, ctx).baggage as string).length).toBeLessThanOrEqual(8192);
  });

  it("injects spans' contexts as core does: only valid ones, flags in hex, trace state kept, nothing when suppressed", () => {
    const spans = fc.record({
      traceId: fc.oneof(hex(32), fc.constant("0".repeat(32)), fc.constant("xyz")),
      spanId: fc.oneof(hex(16), fc.constant("0".repeat(16))),
      traceFlags: fc.integer({ min: 0, max: 255 }),
      traceState: fc.option(tracestate, { nil: undefined }),
    });
    fc.assert(
      fc.property(spans, fc.boolean(), fc.option(baggage, { nil: undefined }), ({ traceState, ...s }, suppressed, b) => {
        const span: SpanContext = { ...s, ...(traceState === undefined ? {} : { traceState: createTraceState(traceState) }) };
        let ctx = trace.setSpanContext(ROOT_CONTEXT, span);
        if (b !== undefined) ctx = theirs.extract(ctx, { baggage: b }, defaultTextMapGetter);
        if (suppressed) ctx = core.suppressTracing(ctx);
        expect(injected(ours, ctx)).toEqual(injected(theirs, ctx));
      }),
      { numRuns: 1000 },
    );
    expect(
      injected(ours, core.suppressTracing(trace.setSpanContext(ROOT_CONTEXT, { traceId: "a".repeat(32), spanId: "b".repeat(16), traceFlags: 1 }))),
    ).toEqual({});
  });

  it("keeps the existing context's values and lists the same fields", () => {
    const mine = Symbol("mine");
    const base = ROOT_CONTEXT.setValue(mine, 1);
    const carrier = { traceparent: `00-${"1".repeat(32)}-${"2".repeat(16)}-01`, baggage: "a=1" };
    expect(ours.extract(base, carrier, defaultTextMapGetter).getValue(mine)).toBe(1);
    expect(extracted(ours, carrier, base)).toEqual(extracted(theirs, carrier, base));
    expect(ours.fields()).toEqual(theirs.fields());
  });

  it("skips a propagator that throws, as core's composite does", () => {
    const failing: TextMapPropagator = {
      inject: () => {
        throw new Error("boom");
      },
      extract: () => {
        throw new Error("boom");
      },
      fields: () => ["x"],
    };
    const mine = new CompositePropagator([failing, new W3CBaggagePropagator()]);
    const ctx = mine.extract(ROOT_CONTEXT, { baggage: "a=1" }, defaultTextMapGetter);
    expect(propagation.getBaggage(ctx)?.getEntry("a")?.value).toBe("1");
    expect(injected(mine, ctx)).toEqual({ baggage: "a=1" });
    expect(mine.fields()).toEqual(["x", "baggage"]);
  });
});

describe("W3CTraceState against core's TraceState", () => {
  it("parses, sets, unsets and serializes as core does, within 32 members and 512 characters", () => {
    const op = fc.tuple(fc.constantFrom("set", "unset"), tsKey, tsValue);
    fc.assert(
      fc.property(tracestate, fc.array(op, { maxLength: 8 }), (raw, ops) => {
        let a: W3CTraceState = new W3CTraceState(raw);
        let b = new core.TraceState(raw);
        for (const [kind, key, value] of ops) {
          a = kind === "set" ? a.set(key, value) : a.unset(key);
          b = kind === "set" ? b.set(key, value) : b.unset(key);
          expect(a.get(key)).toBe(b.get(key));
        }
        expect(a.serialize()).toBe(b.serialize());
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps core's limits on a long header: the first 32 valid members, and no more than 512 characters", () => {
    const members = Array.from({ length: 40 }, (_, i) => `k${i}=v${i}`).join(",");
    const long = Array.from({ length: 40 }, (_, i) => `key${i}=${"v".repeat(20)}`).join(",");
    for (const raw of [members, long, `bad,${members}`]) {
      expect(new W3CTraceState(raw).serialize()).toBe(new core.TraceState(raw).serialize());
      expectSameAsCore({ traceparent: `00-${"1".repeat(32)}-${"2".repeat(16)}-01`, tracestate: raw });
    }
    expect(new W3CTraceState(members).serialize().split(",")).toHaveLength(32);
  });
});

describe("isAttributeValue and isTracingSuppressed against core's", () => {
  it("agrees with core's isAttributeValue on a table of values", () => {
    const table: unknown[] = [
      null,
      undefined,
      "",
      "s",
      0,
      -1.5,
      Number.NaN,
      true,
      false,
      1n,
      Symbol("s"),
      {},
      () => 1,
      new Date(),
      [],
      [null],
      [undefined, null],
      ["a", "b"],
      [1, 2],
      [true, false],
      ["a", 1],
      [1, "a"],
      [null, "a", undefined, "b"],
      [null, 1, "a"],
      [{}],
      [[1]],
      [1n],
      [Symbol("x")],
      [null, {}],
      [1, null, 2],
      new String("boxed"),
      [new Number(1)],
    ];
    for (const [i, value] of table.entries()) expect(isAttributeValue(value), `table[${i}]`).toBe(core.isAttributeValue(value));
    fc.assert(fc.property(fc.anything(), (v) => isAttributeValue(v) === core.isAttributeValue(v)));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined))),
        (v) => isAttributeValue(v) === core.isAttributeValue(v),
      ),
    );
  });

  it("sees core's suppressTracing and unsuppressTracing, and only the value true", () => {
    const suppressed = core.suppressTracing(ROOT_CONTEXT);
    expect([isTracingSuppressed(ROOT_CONTEXT), isTracingSuppressed(suppressed), isTracingSuppressed(core.unsuppressTracing(suppressed))]).toEqual([
      false,
      true,
      false,
    ]);
    const key = Symbol.for("OpenTelemetry SDK Context Key SUPPRESS_TRACING");
    for (const v of [true, false, 1, "true", undefined]) {
      const ctx = ROOT_CONTEXT.setValue(key, v);
      expect(isTracingSuppressed(ctx)).toBe(core.isTracingSuppressed(ctx));
    }
  });
});
