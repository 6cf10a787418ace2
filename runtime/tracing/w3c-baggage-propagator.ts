import {
  type Baggage,
  type BaggageEntry,
  baggageEntryMetadataFromString,
  type Context,
  propagation,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from "@opentelemetry/api";
import { isTracingSuppressed } from "./suppress-tracing.js";

const baggageHeader = "baggage";
/** W3C Baggage's limits, as `@opentelemetry/core` applies them. */
const maxPairs = 180;
const maxPairLength = 4096;
const maxTotalLength = 8192;

/** `key=value` percent-encoded, the entry's metadata (opaque, not encoded) after a `;`. */
function encodePair([key, entry]: [string, BaggageEntry]): string {
  const pair = `${encodeURIComponent(key)}=${encodeURIComponent(entry.value)}`;
  return entry.metadata === undefined ? pair : `${pair};${entry.metadata.toString()}`;
}

/** The header value: pairs within the per-pair length, at most 180, each added while the total stays within 8192. */
function serialize(baggage: Baggage): string {
  const pairs = baggage
    .getAllEntries()
    .map(encodePair)
    .filter((pair) => pair.length <= maxPairLength)
    .slice(0, maxPairs);
  let header = "";
  for (const pair of pairs) {
    const next = header === "" ? pair : `${header},${pair}`;
    if (next.length <= maxTotalLength) header = next;
  }
  return header;
}

/** One list member, `key=value[;metadata]`, decoded; undefined when it is empty, malformed or not percent-decodable. */
function parsePair(member: string): { key: string; entry: BaggageEntry } | undefined {
  if (!member) return undefined;
  const semicolon = member.indexOf(";");
  const pair = semicolon === -1 ? member : member.substring(0, semicolon);
  const eq = pair.indexOf("=");
  if (eq <= 0) return undefined;
  const rawKey = pair.substring(0, eq).trim();
  const rawValue = pair.substring(eq + 1).trim();
  if (!rawKey || !rawValue) return undefined;
  let key: string;
  let value: string;
  try {
    key = decodeURIComponent(rawKey);
    value = decodeURIComponent(rawValue);
  } catch {
    return undefined;
  }
  const metadata = semicolon !== -1 && semicolon < member.length - 1 ? baggageEntryMetadataFromString(member.substring(semicolon + 1)) : undefined;
  return { key, entry: metadata ? { value, metadata } : { value } };
}

/** Counts across the headers of one carrier (the limits hold for all of them together). */
interface ParseTally {
  count: number;
  totalSize: number;
}

/** Adds one header's pairs to `entries`, within the limits. */
function parseHeader(header: string, entries: Record<string, BaggageEntry>, tally: ParseTally): void {
  let start = 0;
  while (start < header.length && tally.count < maxPairs) {
    const comma = header.indexOf(",", start);
    const end = comma === -1 ? header.length : comma;
    const length = end - start;
    const parsed = length <= maxPairLength ? parsePair(header.substring(start, end)) : undefined;
    if (parsed) {
      const size = (tally.count === 0 ? 0 : 1) + length;
      if (tally.totalSize + size > maxTotalLength) return;
      entries[parsed.key] = parsed.entry;
      tally.count++;
      tally.totalSize += size;
    }
    if (comma === -1) return;
    start = comma + 1;
  }
}

/**
 * W3C Baggage `baggage` header, as `@opentelemetry/core`'s W3CBaggagePropagator: keys and values
 * percent-encoded, entry metadata kept, 180 pairs, 4096 characters a pair and 8192 in all; nothing
 * injected when tracing is suppressed.
 */
export class W3CBaggagePropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const baggage = propagation.getBaggage(ctx);
    if (!baggage || isTracingSuppressed(ctx)) return;
    const header = serialize(baggage);
    if (header.length > 0) setter.set(carrier, baggageHeader, header);
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = getter.get(carrier, baggageHeader);
    if (!header) return ctx;
    const entries: Record<string, BaggageEntry> = {};
    const tally: ParseTally = { count: 0, totalSize: 0 };
    for (const h of Array.isArray(header) ? header : [header]) parseHeader(h, entries, tally);
    if (tally.count === 0) return ctx;
    return propagation.setBaggage(ctx, propagation.createBaggage(entries));
  }

  fields(): string[] {
    return [baggageHeader];
  }
}
