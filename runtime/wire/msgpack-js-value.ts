/** The writer methods {@link writeJsValue} calls (a `MsgpackWriter` has them). */
export interface JsValueSink {
  writeNil(): void;
  writeBoolean(value: boolean): void;
  writeNumber(value: number): void;
  writeBigInt(value: bigint): void;
  writeString(value: string): void;
  writeBinary(value: Uint8Array): void;
  writeArrayHeader(length: number): void;
  writeMapHeader(size: number): void;
}

const maxDepth = 64;

/**
 * Writes any supported JS value: `null`/`undefined` as nil, booleans, numbers, strings, `bigint`,
 * `Uint8Array` as bin, arrays, `Map`s and plain objects as maps (object properties that are
 * `undefined` are skipped), `Date` as its ISO-8601 string. For handshake messages, options and
 * free-form values; the generated record writers call the typed methods instead.
 *
 * Failure behaviour: throws `RangeError` for nesting deeper than 64 (e.g. a cycle) or a bigint
 * outside 64 bits, `TypeError` for functions and symbols.
 */
export function writeJsValue(sink: JsValueSink, value: unknown, depth: number): void {
  switch (typeof value) {
    case "string":
      sink.writeString(value);
      return;
    case "number":
      sink.writeNumber(value);
      return;
    case "boolean":
      sink.writeBoolean(value);
      return;
    case "undefined":
      sink.writeNil();
      return;
    case "bigint":
      sink.writeBigInt(value);
      return;
    case "object":
      break;
    default:
      throw new TypeError(`cannot encode a ${typeof value} as msgpack`);
  }
  if (value === null) {
    sink.writeNil();
    return;
  }
  if (depth >= maxDepth) throw new RangeError(`msgpack nesting deeper than ${maxDepth} (a cycle?)`);
  if (value instanceof Uint8Array) {
    sink.writeBinary(value);
  } else if (Array.isArray(value)) {
    sink.writeArrayHeader(value.length);
    for (const item of value as unknown[]) writeJsValue(sink, item, depth + 1);
  } else if (value instanceof Date) {
    sink.writeString(value.toISOString());
  } else if (value instanceof Map) {
    sink.writeMapHeader(value.size);
    for (const [k, v] of value as Map<unknown, unknown>) {
      writeJsValue(sink, k, depth + 1);
      writeJsValue(sink, v, depth + 1);
    }
  } else {
    const record = value as Record<string, unknown>;
    let size = 0;
    for (const key in record) if (Object.hasOwn(record, key) && record[key] !== undefined) size++;
    sink.writeMapHeader(size);
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      const v = record[key];
      if (v === undefined) continue;
      sink.writeString(key);
      writeJsValue(sink, v, depth + 1);
    }
  }
}
