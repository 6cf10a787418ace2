import { type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { enumNamesConstant, type MapperContext, rank, requireMapping, reservedKeysConstant, unsetCondition } from "./mapping.js";
import { CodegenError, is64Bit, isTimestampField, isValueContainer, lowerFirst } from "./model.js";
import { contractModule, pbModule, supportModule, tsTypeName } from "./output-file.js";

/** Name of the writer of a message's Fluentd-record entries: `writeStandardLogEntryMsgpackFields`. */
function fieldsWriterName(message: DescMessage): string {
  return `write${tsTypeName(message)}MsgpackFields`;
}

/** Name of the writer of a whole message as a msgpack map (or value): `writeStandardLogEntryMsgpack`. */
function writerName(message: DescMessage): string {
  return `write${tsTypeName(message)}Msgpack`;
}

/** The name of the module constant holding a Fluentd key pre-encoded as msgpack, emitted into the file on first use. */
function keyConstant(ctx: MapperContext, key: string): string {
  const declare = (name: string): string => `const ${name} = ${ctx.out.use(supportModule, "msgpackKey")}(${JSON.stringify(key)});`;
  return ctx.out.declareOnce(`key_${key.replace(/[^A-Za-z0-9]/g, "_")}`, declare);
}

/** Statement writing one value (a field's value, or a list item or map value with `element`). */
function writeValue(ctx: MapperContext, field: DescField, x: string, element: boolean): string {
  const { out } = ctx;
  const single = (kind: "scalar" | "enum" | "message", v: string): string => {
    if (kind === "enum") {
      const msgpackNames = out.use(contractModule(field.enum!.file), `${enumNamesConstant(field.enum!)}Msgpack`);
      return `w.writeRaw(${msgpackNames}[${v}] ?? ${out.use(supportModule, "msgpackKey")}(String(${v})));`;
    }
    if (kind === "message") return `${out.use(contractModule(field.message!.file), writerName(field.message!))}(${v}, w);`;
    const scalar = field.scalar!;
    if (isTimestampField(field)) return `w.writeTimeIso(${v});`;
    if (is64Bit(scalar)) return `${out.use(supportModule, "writeInt64")}(${v}, w);`;
    if (scalar === ScalarType.STRING) return `w.writeString(${v});`;
    if (scalar === ScalarType.BOOL) return `w.writeBoolean(${v});`;
    if (scalar === ScalarType.BYTES) return `w.writeString(${out.usePackage("@bufbuild/protobuf/wire", "base64Encode")}(${v}));`;
    return `w.writeNumber(${v});`;
  };
  switch (field.fieldKind) {
    case "scalar":
    case "enum":
    case "message":
      return single(field.fieldKind, x);
    case "list":
      return element ? single(field.listKind, x) : `{ w.writeArrayHeader(${x}.length); for (const e of ${x}) { ${single(field.listKind, "e")} } }`;
    case "map":
      return element
        ? single(field.mapKind, x)
        : `{ const ks = Object.keys(${x}); w.writeMapHeader(ks.length); for (const k of ks) { w.writeString(k); ${single(field.mapKind, `${x}[k]!`)} } }`;
  }
}

/**
 * Emits, for a record message, `writeMMsgpackFields(m, w)` (its Fluentd record entries straight into
 * msgpack, returning how many) and `writeMMsgpack(m, w)` (the whole record as a map): the same
 * record `mToFluentRecord` builds, without building it. Keys are pre-encoded once; the fields of a
 * resource-slot message (the service's metadata, the same on every record) are encoded once per object.
 */
export function emitMsgpackWriters(ctx: MapperContext, message: DescMessage): void {
  const { out } = ctx;
  const type = out.use(pbModule(message.file), tsTypeName(message), true);
  const sink = out.use(supportModule, "MsgpackSink", true);
  const lines = ["let n = 0;"];
  for (const field of [...message.fields].sort((a, b) => rank(ctx, a) - rank(ctx, b))) {
    const mapping = requireMapping(ctx, field);
    const acc = `m.${field.localName}`;
    if (field.fieldKind === "message" && mapping.flatten) {
      const fn = out.use(contractModule(field.message.file), fieldsWriterName(field.message));
      lines.push(
        mapping.slot === "resource" ? `if (${acc} !== undefined) n += w.cachedFields(${acc}, ${fn});` : `if (${acc} !== undefined) n += ${fn}(${acc}, w);`,
      );
    } else if (field.fieldKind === "map" && mapping.flatten) {
      const reserved = reservedKeysConstant(ctx, message);
      // for-in with an own-key check: Object.keys's order without allocating its array per record.
      const skipKey = `if (!Object.hasOwn(${acc}, k) || ${reserved}.has(k)) continue;`;
      lines.push(`for (const k in ${acc}) { ${skipKey} w.writeString(k); ${writeValue(ctx, field, `${acc}[k]!`, true)} n++; }`);
    } else {
      const value = mapping.secret ? `w.writeString(${out.use(supportModule, "REDACTED")});` : writeValue(ctx, field, acc, false);
      const unset = unsetCondition(field, acc);
      const put = `{ w.writeRaw(${keyConstant(ctx, mapping.fluentKey)}); ${value} n++; }`;
      lines.push(unset === undefined ? put : `if (!(${unset})) ${put}`);
    }
  }
  lines.push("return n;");
  out.addFunction({
    name: fieldsWriterName(message),
    isExported: true,
    docs: [`Writes the Fluentd record entries of a {@link ${type}} as msgpack key/value pairs; returns how many.`],
    parameters: [
      { name: "m", type },
      { name: "w", type: sink },
    ],
    returnType: "number",
    statements: lines,
  });
  out.addFunction({
    name: writerName(message),
    isExported: true,
    docs: [
      `Writes a {@link ${type}} as its Fluentd record, a msgpack map: ` +
        `what \`${lowerFirst(tsTypeName(message))}ToFluentRecord\` would build, without building it.`,
    ],
    parameters: [
      { name: "m", type },
      { name: "w", type: sink },
    ],
    returnType: "void",
    statements: ["const at = w.beginMap();", `w.endMap(at, ${fieldsWriterName(message)}(m, w));`],
  });
}

/** Emits `writeMMsgpack(m, w)` for a value container: the plain value `mToPlain` gives, as msgpack. */
export function emitValueMsgpackWriter(ctx: MapperContext, message: DescMessage): void {
  if (!isValueContainer(message, ctx.opts)) throw new CodegenError(`${message.typeName} is not a value container`);
  const { out } = ctx;
  const type = out.use(pbModule(message.file), tsTypeName(message), true);
  const sink = out.use(supportModule, "MsgpackSink", true);
  let statements: string[];
  const oneof = message.oneofs[0];
  if (oneof !== undefined) {
    const cases = oneof.fields.map((f) => `case ${JSON.stringify(f.localName)}: ${writeValue(ctx, f, "k.value", false)} return;`);
    statements = [`const k = m.${oneof.localName};`, `switch (k.case) { ${cases.join(" ")} default: w.writeString(""); }`];
  } else {
    const only = message.fields[0]!;
    statements = [writeValue(ctx, only, `m.${only.localName}`, false)];
  }
  out.addFunction({
    name: writerName(message),
    isExported: true,
    docs: [`Writes a {@link ${type}} as the plain value it stands for, in msgpack.`],
    parameters: [
      { name: "m", type },
      { name: "w", type: sink },
    ],
    returnType: "void",
    statements,
  });
}
