// What the target emitters share (the plain-record mappers in emit-mappers.ts and the msgpack writers in
// emit-msgpack.ts): how a field's mapping option is read and ordered, when a field is left out, and the names of
// the constants both use. Neither emitter imports the other.
import { type DescEnum, type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { CodegenError, type ContractOptions, type FieldMapping, isTimestampField, lowerFirst, readFieldMapping } from "./model.js";
import { type OutputFile, tsTypeName } from "./output-file.js";

/** Everything the mapper emitters need to know about the schema, and the file they write into. */
export interface MapperContext {
  readonly out: OutputFile;
  readonly opts: ContractOptions;
}

/** Reads a field's mapping; every field of a record message must have one. */
export function requireMapping(ctx: MapperContext, field: DescField): FieldMapping {
  const m = readFieldMapping(field, ctx.opts);
  if (m === undefined) throw new CodegenError(`${field.parent.typeName}.${field.name} has no (emp.telemetry.v1.mapping) option`);
  if (m.key === "" && !m.flatten) throw new CodegenError(`${field.parent.typeName}.${field.name} needs a key or flatten`);
  return m;
}

/** Sort key of a field in a record writer: flattened maps (0) before the rest (1), so the contract's own fields win. */
export function rank(ctx: MapperContext, field: DescField): number {
  return field.fieldKind === "map" && requireMapping(ctx, field).flatten ? 0 : 1;
}

/** Condition under which a field is omitted from targets: empty strings, unset messages, empty lists, enum 0, zero timestamps. */
export function unsetCondition(field: DescField, acc: string): string | undefined {
  switch (field.fieldKind) {
    case "message":
      return `${acc} === undefined`;
    case "list":
      return `${acc}.length === 0`;
    case "map":
      return `Object.keys(${acc}).length === 0`;
    case "enum":
      return `${acc} === 0`;
    case "scalar":
      if (field.scalar === ScalarType.STRING) return `${acc} === ""`;
      if (field.scalar === ScalarType.BYTES) return `${acc}.length === 0`;
      if (isTimestampField(field)) return `${acc} === 0n`;
      return undefined;
  }
}

/** Name of the constant table of an enum's short names: `logLevelNames`. */
export function enumNamesConstant(e: DescEnum): string {
  return `${lowerFirst(tsTypeName(e))}Names`;
}

/** Every Fluentd key the message's own fields write (through flattened messages, not maps). */
export function reservedFluentKeys(ctx: MapperContext, message: DescMessage, seen = new Set<DescMessage>()): Set<string> {
  const keys = new Set<string>();
  if (seen.has(message)) return keys;
  seen.add(message);
  for (const field of message.fields) {
    const m = readFieldMapping(field, ctx.opts);
    if (m === undefined || field.fieldKind === "map") continue;
    if (field.fieldKind === "message" && m.flatten) for (const k of reservedFluentKeys(ctx, field.message, seen)) keys.add(k);
    else if (m.fluentKey !== "") keys.add(m.fluentKey);
  }
  return keys;
}

/** The name of the module constant holding a message's reserved keys, emitted into the file on first use. */
export function reservedKeysConstant(ctx: MapperContext, message: DescMessage): string {
  return ctx.out.declareOnce(`${lowerFirst(tsTypeName(message))}ReservedKeys`, (name) => {
    const keys = [...reservedFluentKeys(ctx, message)].sort().map((k) => JSON.stringify(k));
    return (
      `/** Keys the contract's own fields of {@link ${tsTypeName(message)}} write: free-form data may not take them (the contract wins). */\n` +
      `export const ${name}: ReadonlySet<string> = new Set([${keys.join(", ")}]);`
    );
  });
}
