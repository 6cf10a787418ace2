import { type DescEnum, type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import {
  CodegenError,
  enumValueShortName,
  type FieldMapping,
  is64Bit,
  isTimestampField,
  isValueContainer,
  lowerFirst,
  type OtlpSlot,
  readFieldMapping,
} from "./model.js";
import { enumNamesConstant, type MapperContext, rank, requireMapping, reservedKeysConstant, unsetCondition } from "./mapping.js";
import { contractModule, type OutputFile, pbModule, supportModule, tsTypeName } from "./output-file.js";

/** Which target a writer serves: the Fluentd record uses `fluent_key`, OTLP attributes use `key`. */
type Target = "fluent" | "attributes";

/**
 * Emits `fooNames` (short, lower-case names by enum number, as the targets carry them) and
 * `fooValues` (the enum's values by local name, typed as the enum): code that only needs values
 * imports them from the contract module and loads no descriptor.
 */
export function emitEnumNames(out: OutputFile, e: DescEnum): void {
  const type = out.use(pbModule(e.file), tsTypeName(e), true);
  const entries = e.values.map((x) => `${x.number}: ${JSON.stringify(enumValueShortName(e, x.name))}`);
  out.addStatement(
    `/** Short names of {@link ${type}} values, as targets carry them. */\n` +
      `export const ${enumNamesConstant(e)}: Readonly<Record<number, string>> = { ${entries.join(", ")} };`,
  );
  out.addStatement(
    `/** {@link ${enumNamesConstant(e)}} as msgpack str bytes, for the generated msgpack writers. */\n` +
      `export const ${enumNamesConstant(e)}Msgpack = ${out.use(supportModule, "msgpackNames")}(${enumNamesConstant(e)});`,
  );
  const values = e.values.map((x) => `${x.localName}: ${x.number} as ${type}.${x.localName}`);
  out.addStatement(
    `/** The values of {@link ${type}} by name, without loading its descriptor. */\n` +
      `export const ${lowerFirst(tsTypeName(e))}Values = Object.freeze({ ${values.join(", ")} });`,
  );
}

const fnSuffix: Record<Target, string> = { fluent: "Fluent", attributes: "Attributes" };

/** Name of the writer that puts a message's fields into a record: `writeServiceMetadataFluent`. */
function writerName(message: DescMessage, target: Target): string {
  return `write${tsTypeName(message)}${fnSuffix[target]}`;
}

/**
 * Emits, for a record message, `writeMFluent` / `writeMAttributes` (fields into a record, flattened
 * as declared) and `mToFluentRecord` / `mToAttributes`.
 */
export function emitRecordMappers(ctx: MapperContext, message: DescMessage): void {
  for (const target of ["fluent", "attributes"] as const) emitWriter(ctx, message, target);
  const { out } = ctx;
  const type = out.use(pbModule(message.file), tsTypeName(message), true);
  const rec = out.use(supportModule, "PlainRecord", true);
  const base = lowerFirst(tsTypeName(message));
  out.addFunction({
    name: `${base}ToFluentRecord`,
    isExported: true,
    docs: [`Maps a {@link ${type}} to a Fluentd record: the contract's Fluentd keys, secrets redacted, times as ISO-8601 with nanoseconds.`],
    parameters: [{ name: "m", type }],
    returnType: rec,
    statements: [`const r: ${rec} = {};`, `${writerName(message, "fluent")}(m, r);`, "return r;"],
  });
  out.addFunction({
    name: `${base}ToAttributes`,
    isExported: true,
    docs: [`Maps a {@link ${type}} to attributes under the contract's OTLP keys, secrets redacted.`],
    parameters: [{ name: "m", type }],
    returnType: rec,
    statements: [`const r: ${rec} = {};`, `${writerName(message, "attributes")}(m, r);`, "return r;"],
  });
}

function emitWriter(ctx: MapperContext, message: DescMessage, target: Target): void {
  const { out } = ctx;
  const lines: string[] = [];
  // Flattened maps first, so the contract's own fields win over free-form keys.
  const ordered = [...message.fields].sort((a, b) => rank(ctx, a) - rank(ctx, b));
  for (const field of ordered) {
    const mapping = requireMapping(ctx, field);
    const acc = `m.${field.localName}`;
    const key = JSON.stringify(target === "fluent" ? mapping.fluentKey : mapping.key);
    if (field.fieldKind === "message" && mapping.flatten) {
      lines.push(`if (${acc} !== undefined) ${useWriter(ctx, field.message, target)}(${acc}, r);`);
    } else if (field.fieldKind === "map" && mapping.flatten) {
      const reserved = reservedKeysConstant(ctx, message);
      lines.push(`for (const k of Object.keys(${acc})) if (!${reserved}.has(k)) r[k] = ${plainOf(ctx, field, `${acc}[k]!`, target, true)};`);
    } else {
      emitPut(ctx, lines, field, mapping, acc, `r[${key}]`, target);
    }
  }
  const type = out.use(pbModule(message.file), tsTypeName(message), true);
  out.addFunction({
    name: writerName(message, target),
    isExported: true,
    docs: [`Writes the fields of a {@link ${type}} into \`r\` (${target === "fluent" ? "Fluentd record keys" : "OTLP attribute keys"}).`],
    parameters: [
      { name: "m", type },
      { name: "r", type: out.use(supportModule, "PlainRecord", true) },
    ],
    returnType: "void",
    statements: lines,
  });
}

/** Emits `dest = <plain value>` for one non-flattened field, skipping unset values. */
function emitPut(ctx: MapperContext, lines: string[], field: DescField, mapping: FieldMapping, acc: string, dest: string, target: Target): void {
  const value = mapping.secret ? ctx.out.use(supportModule, "REDACTED") : plainOf(ctx, field, acc, target, false);
  const unset = unsetCondition(field, acc);
  lines.push(unset === undefined ? `${dest} = ${value};` : `if (!(${unset})) ${dest} = ${value};`);
}

/** Expression converting a field's value (or, with `element`, one list item or map value) to a plain value. */
function plainOf(ctx: MapperContext, field: DescField, acc: string, target: Target, element: boolean): string {
  const { out } = ctx;
  const single = (kind: "scalar" | "enum" | "message", x: string): string => {
    if (kind === "enum") return `${out.use(contractModule(field.enum!.file), enumNamesConstant(field.enum!))}[${x}] ?? String(${x})`;
    if (kind === "message") {
      const msg = field.message!;
      if (isValueContainer(msg, ctx.opts)) return `${out.use(contractModule(msg.file), `${lowerFirst(tsTypeName(msg))}ToPlain`)}(${x})`;
      return `${out.use(contractModule(msg.file), lowerFirst(tsTypeName(msg)) + (target === "fluent" ? "ToFluentRecord" : "ToAttributes"))}(${x})`;
    }
    return scalarPlain(out, field, x);
  };
  switch (field.fieldKind) {
    case "scalar":
    case "enum":
    case "message":
      return single(field.fieldKind, acc);
    case "list": {
      const kind = field.listKind;
      return element ? single(kind, acc) : `${acc}.map((x) => ${single(kind, "x")})`;
    }
    case "map": {
      const kind = field.mapKind;
      return element ? single(kind, acc) : `${out.use(supportModule, "mapRecord")}(${acc}, (x) => ${single(kind, "x")})`;
    }
  }
}

function scalarPlain(out: OutputFile, field: DescField, x: string): string {
  const scalar = field.scalar!;
  if (isTimestampField(field)) return `${out.use(supportModule, "nanosToIso")}(${x})`;
  if (is64Bit(scalar)) return `${out.use(supportModule, "int64ToPlain")}(${x})`;
  if (scalar === ScalarType.BYTES) return `${out.usePackage("@bufbuild/protobuf/wire", "base64Encode")}(${x})`;
  return x;
}

/** The record kinds an OTLP mapper produces, and the slots each accepts. */
type OtlpKind = "log" | "span" | "event";

const slotTargets: Record<OtlpKind, Partial<Record<OtlpSlot, string>>> = {
  log: { time: "rec.timeUnixNano", body: "rec.body", trace_id: "rec.traceId", span_id: "rec.spanId", trace_flags: "rec.traceFlags" },
  span: {
    trace_id: "rec.traceId",
    span_id: "rec.spanId",
    parent_span_id: "rec.parentSpanId",
    trace_flags: "rec.traceFlags",
    name: "rec.name",
    kind: "rec.kind",
    start_time: "rec.startTimeUnixNano",
    end_time: "rec.endTimeUnixNano",
    status_code: "rec.status.code",
    status_message: "rec.status.message",
    scope_name: "rec.scope.name",
    scope_version: "rec.scope.version",
  },
  event: { name: "rec.name", time: "rec.timeUnixNano" },
};

/** The OTLP record kind a message maps to, from the slots reachable through flattened fields. */
export function otlpKindOf(ctx: MapperContext, message: DescMessage): OtlpKind | undefined {
  const slots = reachableSlots(ctx, message, new Set());
  if (slots.has("body") || slots.has("severity")) return "log";
  if (slots.has("start_time")) return "span";
  if (slots.has("name") && slots.has("time")) return "event";
  return undefined;
}

function reachableSlots(ctx: MapperContext, message: DescMessage, seen: Set<DescMessage>): Set<OtlpSlot> {
  const slots = new Set<OtlpSlot>();
  if (seen.has(message)) return slots;
  seen.add(message);
  for (const field of message.fields) {
    const m = readFieldMapping(field, ctx.opts);
    if (m === undefined) continue;
    slots.add(m.slot);
    if (field.fieldKind === "message" && m.flatten) for (const s of reachableSlots(ctx, field.message, seen)) slots.add(s);
  }
  return slots;
}

const otlpNames: Record<OtlpKind, { fn: string; type: string; factory: string }> = {
  log: { fn: "ToOtlpLogRecord", type: "OtlpLogRecord", factory: "newOtlpLogRecord" },
  span: { fn: "ToOtlpSpan", type: "OtlpSpan", factory: "newOtlpSpan" },
  event: { fn: "ToOtlpSpanEvent", type: "OtlpSpanEvent", factory: "newOtlpSpanEvent" },
};

/** Emits `mToOtlpLogRecord` / `mToOtlpSpan` / `mToOtlpSpanEvent`, driven by each field's OTLP slot. */
export function emitOtlpMapper(ctx: MapperContext, message: DescMessage, kind: OtlpKind): void {
  const { out } = ctx;
  const names = otlpNames[kind];
  const lines = [`const rec = ${out.use(supportModule, names.factory)}();`];
  emitOtlpFields(ctx, kind, message, "m", "unspecified", lines);
  lines.push("return rec;");
  const type = out.use(pbModule(message.file), tsTypeName(message), true);
  const otlpItem = kind === "log" ? "log record" : kind === "span" ? "span" : "span event";
  out.addFunction({
    name: lowerFirst(tsTypeName(message)) + names.fn,
    isExported: true,
    docs: [`Maps a {@link ${type}} to an OTLP ${otlpItem} and its resource, field by field as the contract's slots say.`],
    parameters: [{ name: "m", type }],
    returnType: out.use(supportModule, names.type, true),
    statements: lines,
  });
}

function emitOtlpFields(ctx: MapperContext, kind: OtlpKind, message: DescMessage, expr: string, inherited: OtlpSlot, lines: string[], depth = 0): void {
  const ordered = [...message.fields].sort((a, b) => rank(ctx, a) - rank(ctx, b));
  for (const field of ordered) {
    const mapping = requireMapping(ctx, field);
    const slot = mapping.slot === "unspecified" ? inherited : mapping.slot;
    const acc = `${expr}.${field.localName}`;
    const bag = slot === "resource" ? "rec.resource" : "rec.attributes";
    if (field.fieldKind === "message" && mapping.flatten) {
      const local = `${field.localName}${depth}`;
      lines.push(`{`, `const ${local} = ${acc};`, `if (${local} !== undefined) {`);
      emitOtlpFields(ctx, kind, field.message, local, slot, lines, depth + 1);
      lines.push("}", "}");
    } else if (slot === "attributes" || (field.fieldKind === "map" && mapping.flatten)) {
      const targetBag = inherited === "resource" ? "rec.resource" : "rec.attributes";
      const reserved = reservedKeysConstant(ctx, message);
      lines.push(`for (const k of Object.keys(${acc})) if (!${reserved}.has(k)) ${targetBag}[k] = ${plainOf(ctx, field, `${acc}[k]!`, "attributes", true)};`);
    } else if (slot === "severity") {
      const names = plainOf(ctx, field, acc, "attributes", false);
      lines.push(
        `{`,
        `const s = ${names};`,
        `rec.severityNumber = ${ctx.out.use(supportModule, "severityNumberOf")}(s);`,
        `rec.severityText = s.toUpperCase();`,
        `}`,
      );
    } else if (slot === "events") {
      if (field.fieldKind !== "list" || field.listKind !== "message") throw new CodegenError(`${field.toString()}: the events slot needs a repeated message`);
      const fn = ctx.out.use(contractModule(field.message.file), lowerFirst(tsTypeName(field.message)) + otlpNames.event.fn);
      lines.push(`rec.events = ${acc}.map((e) => ${fn}(e));`);
    } else if (slot === "unspecified" || slot === "resource") {
      emitPut(ctx, lines, field, mapping, acc, `${bag}[${JSON.stringify(mapping.key)}]`, "attributes");
    } else {
      const dest = slotTargets[kind][slot];
      if (dest === undefined) throw new CodegenError(`${field.parent.typeName}.${field.name}: slot "${slot}" does not exist on an OTLP ${kind}`);
      lines.push(`${dest} = ${acc};`);
    }
  }
}

function useWriter(ctx: MapperContext, message: DescMessage, target: Target): string {
  return ctx.out.use(contractModule(message.file), writerName(message, target));
}
