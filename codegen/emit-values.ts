import { type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { CodegenError, is64Bit, isValueContainer, lowerFirst } from "./model.js";
import type { MapperContext } from "./mapping.js";
import { contractModule, pbModule, supportModule, tsTypeName } from "./output-file.js";

/** Deepest nesting `fromPlain` follows; deeper values become the string "[max depth]". */
const maxDepth = 16;

type ContainerShape =
  | { kind: "oneof"; members: readonly DescField[]; oneofName: string }
  | { kind: "list"; field: DescField & { fieldKind: "list" } }
  | { kind: "map"; field: DescField & { fieldKind: "map" } };

function shapeOf(message: DescMessage): ContainerShape {
  if (message.oneofs.length === 1 && message.fields.every((f) => f.oneof === message.oneofs[0])) {
    return { kind: "oneof", members: message.fields, oneofName: message.oneofs[0]!.localName };
  }
  const only = message.fields.length === 1 ? message.fields[0] : undefined;
  if (only?.fieldKind === "list") return { kind: "list", field: only };
  if (only?.fieldKind === "map") return { kind: "map", field: only };
  throw new CodegenError(`${message.typeName}: a value container is a single oneof, a single repeated field or a single map field`);
}

/**
 * Emits `mToPlain(m)` and `mFromPlain(value)` for a value container (Value, ListValue, MapValue):
 * typed values to and from JSON-compatible JavaScript values.
 */
export function emitValueContainer(ctx: MapperContext, message: DescMessage): void {
  const { out } = ctx;
  const shape = shapeOf(message);
  const type = out.use(pbModule(message.file), tsTypeName(message), true);
  const plain = out.use(supportModule, "PlainValue", true);
  const base = lowerFirst(tsTypeName(message));
  const toPlain = (f: DescField, x: string): string => memberToPlain(ctx, f, x);
  let toStatements: string[];
  let fromStatements: string[];
  let fromParam: string;
  const typeName = JSON.stringify(message.typeName);
  switch (shape.kind) {
    case "oneof": {
      const cases = shape.members.map((f) => `case ${JSON.stringify(f.localName)}: return ${toPlain(f, "k.value")};`);
      toStatements = [`const k = m.${shape.oneofName};`, `switch (k.case) { ${cases.join(" ")} default: return ""; }`];
      fromParam = "unknown";
      fromStatements = oneofFromPlain(ctx, message, shape.members, shape.oneofName);
      break;
    }
    case "list": {
      const f = shape.field;
      toStatements = [`return m.${f.localName}.map((x) => ${toPlain(f, "x")});`];
      fromParam = "readonly unknown[]";
      fromStatements = [
        `const items: ${type}[${JSON.stringify(f.localName)}] = [];`,
        `for (const item of v) { const x = ${elementFromPlain(ctx, f, "item")}; if (x !== undefined) items.push(x); }`,
        `return { $typeName: ${typeName}, ${f.localName}: items };`,
      ];
      break;
    }
    case "map": {
      const f = shape.field;
      toStatements = [`return ${out.use(supportModule, "mapRecord")}(m.${f.localName}, (x) => ${toPlain(f, "x")});`];
      fromParam = "{ readonly [key: string]: unknown }";
      fromStatements = [
        `const entries: ${type}[${JSON.stringify(f.localName)}] = {};`,
        `for (const key of Object.keys(v)) { const x = ${elementFromPlain(ctx, f, "v[key]")}; if (x !== undefined) entries[key] = x; }`,
        `return { $typeName: ${typeName}, ${f.localName}: entries };`,
      ];
      break;
    }
  }
  out.addFunction({
    name: `${base}ToPlain`,
    isExported: true,
    docs: [`Converts a {@link ${type}} to a JSON-compatible value (64-bit integers as numbers when safe, strings otherwise).`],
    parameters: [{ name: "m", type }],
    returnType: plain,
    statements: toStatements,
  });
  out.addFunction({
    name: `${base}FromPlain`,
    isExported: true,
    docs: [
      `Converts a JavaScript value to a {@link ${type}}. Never throws: \`undefined\`, functions and symbols give \`undefined\`` +
        ` (dropped by the caller), Dates become ISO strings, nesting deeper than ${maxDepth} becomes "[max depth]".`,
    ],
    parameters: [
      { name: "v", type: fromParam },
      { name: "depth", initializer: "0" },
    ],
    returnType: shape.kind === "oneof" ? `${type} | undefined` : type,
    statements: fromStatements,
  });
}

function memberToPlain(ctx: MapperContext, f: DescField, x: string): string {
  const { out } = ctx;
  const msg = f.message;
  if (msg !== undefined) {
    if (!isValueContainer(msg, ctx.opts)) throw new CodegenError(`${f.toString()}: value containers hold only values`);
    return `${out.use(contractModule(msg.file), `${lowerFirst(tsTypeName(msg))}ToPlain`)}(${x})`;
  }
  if (f.scalar !== undefined && is64Bit(f.scalar)) return `${out.use(supportModule, "int64ToPlain")}(${x})`;
  return x;
}

function elementFromPlain(ctx: MapperContext, f: DescField, x: string): string {
  const msg = f.message;
  if (msg === undefined) throw new CodegenError(`${f.toString()}: list and map containers hold messages`);
  return `${ctx.out.use(contractModule(msg.file), `${lowerFirst(tsTypeName(msg))}FromPlain`)}(${x}, depth)`;
}

function oneofFromPlain(ctx: MapperContext, message: DescMessage, members: readonly DescField[], oneofName: string): string[] {
  const { out } = ctx;
  const typeName = JSON.stringify(message.typeName);
  const make = (f: DescField, value: string): string => `{ $typeName: ${typeName}, ${oneofName}: { case: ${JSON.stringify(f.localName)}, value: ${value} } }`;
  const scalar = (s: ScalarType): DescField | undefined => members.find((f) => f.fieldKind === "scalar" && f.scalar === s);
  const int = members.find((f) => f.fieldKind === "scalar" && is64Bit(f.scalar));
  const container = (kind: "list" | "map"): DescField | undefined =>
    members.find((f) => f.message !== undefined && f.message.fields.length === 1 && f.message.fields[0]!.fieldKind === kind);
  const str = scalar(ScalarType.STRING);
  const bool = scalar(ScalarType.BOOL);
  const dbl = scalar(ScalarType.DOUBLE);
  const list = container("list");
  const map = container("map");
  if (!str || !bool || !dbl || !int || !list || !map)
    throw new CodegenError(`${message.typeName}: a value oneof needs string, bool, double, 64-bit integer, list and map members`);
  const fromPlain = (f: DescField): string => out.use(contractModule(f.message!.file), `${lowerFirst(tsTypeName(f.message!))}FromPlain`);
  return [
    `switch (typeof v) {`,
    `case "string": return ${make(str, "v")};`,
    `case "boolean": return ${make(bool, "v")};`,
    `case "number": return Number.isSafeInteger(v) ? ${make(int, "BigInt(v)")} : ${make(dbl, "v")};`,
    `case "bigint": return ${make(int, "BigInt.asIntN(64, v)")};`,
    `case "object":`,
    `if (v === null) return undefined;`,
    `if (depth >= ${maxDepth}) return ${make(str, '"[max depth]"')};`,
    `if (Array.isArray(v)) return ${make(list, `${fromPlain(list)}(v, depth + 1)`)};`,
    `if (v instanceof Date) return ${make(str, "Number.isNaN(v.getTime()) ? String(v) : v.toISOString()")};`,
    `return ${make(map, `${fromPlain(map)}(v as { readonly [key: string]: unknown }, depth + 1)`)};`,
    `default: return undefined;`,
    `}`,
  ];
}
