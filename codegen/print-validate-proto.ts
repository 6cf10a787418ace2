/**
 * Prints `buf/validate/validate.proto` from the file descriptor embedded in the
 * installed `@bufbuild/protovalidate` package, so that the .proto source can be
 * regenerated at build time without network access.
 *
 * Usage: npx tsx codegen/print-validate-proto.ts [outDir=.build/protovalidate]
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createRegistry,
  getExtension,
  isFieldSet,
  isMessage,
  ScalarType,
  type DescExtension,
  type DescField,
  type DescFile,
  type DescMessage,
  type MessageShape,
  type Registry,
} from "@bufbuild/protobuf";
import { isReflectMessage, protoCamelCase, reflect, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import {
  Edition,
  EnumOptionsSchema,
  EnumValueOptionsSchema,
  ExtensionRangeOptionsSchema,
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FieldDescriptorProtoSchema,
  FieldOptionsSchema,
  FileOptionsSchema,
  MessageOptionsSchema,
  MethodOptionsSchema,
  OneofOptionsSchema,
  ServiceOptionsSchema,
  type DescriptorProto,
  type EnumDescriptorProto,
  type FieldDescriptorProto,
  type FileDescriptorProto,
  type ServiceDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import { file_buf_validate_validate } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";

const FIELD_MAX = 536870911;
const ENUM_MAX = 2147483647;

interface Ctx {
  readonly file: FileDescriptorProto;
  readonly registry: Registry;
  /** Fully qualified names of packages and types that can shadow relative names. */
  readonly symbols: ReadonlySet<string>;
}

/**
 * Prints a file descriptor as protobuf source (proto2, proto3 or editions).
 *
 * Building the output with protoc or buf yields the same FileDescriptorProto,
 * except for source_code_info. Custom options are decoded from the unknown
 * fields of the options messages with extensions looked up in `registry`, and
 * printed in protobuf text format. Groups are not supported.
 *
 * @param file - The file to print, as a descriptor or a FileDescriptorProto.
 * @param registry - Must contain every extension used in options of the file.
 * @param header - Comment lines to print at the top of the file, without `//`.
 * @returns The protobuf source, ending with a newline.
 */
export function printFileDescriptor(file: DescFile | FileDescriptorProto, registry: Registry, header: readonly string[] = []): string {
  const proto = "kind" in file ? file.proto : file;
  const deps = "kind" in file ? file.dependencies.map((d) => d.proto) : [];
  const ctx: Ctx = { file: proto, registry, symbols: collectSymbols([proto, ...deps]) };
  const pkg = proto.package;
  const blocks: string[][] = [
    [...header.map((l) => `// ${l}`.trimEnd()), syntaxLine(proto)],
    pkg ? [`package ${pkg};`] : [],
    printImports(proto),
    optionStatements(ctx, FileOptionsSchema, proto.options, pkg, ""),
    ...proto.messageType.map((m) => printMessage(ctx, m, pkg, "")),
    ...proto.enumType.map((e) => printEnum(ctx, e, pkg, "")),
    ...printExtends(ctx, proto.extension, pkg, ""),
    ...proto.service.map((s) => printService(ctx, s, pkg)),
  ];
  return `${blocks
    .filter((b) => b.length > 0)
    .map((b) => b.join("\n"))
    .join("\n\n")}\n`;
}

function syntaxLine(file: FileDescriptorProto): string {
  if (file.syntax === "editions") {
    return `edition = "${Edition[file.edition].replace(/^EDITION_/, "")}";`;
  }
  return `syntax = "${file.syntax || "proto2"}";`;
}

function printImports(file: FileDescriptorProto): string[] {
  const imports = file.dependency.map((dep, i) => {
    const modifier = file.publicDependency.includes(i) ? "public " : file.weakDependency.includes(i) ? "weak " : "";
    return `import ${modifier}"${dep}";`;
  });
  return [...imports, ...file.optionDependency.map((dep) => `import option "${dep}";`)];
}

/** Packages (with their parents) and types declared by the given files. */
function collectSymbols(files: FileDescriptorProto[]): Set<string> {
  const symbols = new Set<string>();
  const add = (scope: string, messages: DescriptorProto[], enums: EnumDescriptorProto[]): void => {
    for (const e of enums) symbols.add(join2(scope, e.name));
    for (const m of messages) {
      symbols.add(join2(scope, m.name));
      add(join2(scope, m.name), m.nestedType, m.enumType);
    }
  };
  for (const file of files) {
    const parts = file.package ? file.package.split(".") : [];
    for (let i = 0; i < parts.length; i++) symbols.add(parts.slice(0, i + 1).join("."));
    add(file.package, file.messageType, file.enumType);
  }
  return symbols;
}

function join2(scope: string, name: string): string {
  return scope ? `${scope}.${name}` : name;
}

function parentScope(scope: string): string {
  return scope.includes(".") ? scope.slice(0, scope.lastIndexOf(".")) : "";
}

/** Shortest name for `typeName` (fully qualified, with leading dot) that resolves to it from `scope`. */
function typeRef(ctx: Ctx, typeName: string, scope: string): string {
  const full = typeName.replace(/^\./, "");
  let target = scope;
  while (target && !full.startsWith(`${target}.`)) target = parentScope(target);
  const rel = target ? full.slice(target.length + 1) : full;
  const first = rel.split(".")[0] ?? rel;
  for (let s = scope; s !== target; s = parentScope(s)) {
    if (ctx.symbols.has(join2(s, first))) return `.${full}`;
  }
  return rel;
}

function printMessage(ctx: Ctx, m: DescriptorProto, scope: string, ind: string): string[] {
  const name = join2(scope, m.name);
  const inner = `${ind}  `;
  const mapEntries = m.nestedType.filter((n) => n.options?.mapEntry === true);
  const body = [
    ...optionStatements(ctx, MessageOptionsSchema, m.options, name, inner),
    ...printFields(ctx, m, mapEntries, name, inner),
    ...m.nestedType.filter((n) => !mapEntries.includes(n)).flatMap((n) => printMessage(ctx, n, name, inner)),
    ...m.enumType.flatMap((e) => printEnum(ctx, e, name, inner)),
    ...printExtends(ctx, m.extension, name, inner).flat(),
    ...m.extensionRange.map((r) => {
      const opts = bracket(optionEntries(ctx, ExtensionRangeOptionsSchema, r.options, name, inner));
      return `${inner}extensions ${range(r.start, r.end - 1, FIELD_MAX)}${opts};`;
    }),
    ...printReserved(
      ctx,
      m.reservedRange.map((r) => range(r.start, r.end - 1, FIELD_MAX)),
      m.reservedName,
      inner,
    ),
  ];
  return [`${ind}message ${m.name} {`, ...body, `${ind}}`];
}

function printFields(ctx: Ctx, m: DescriptorProto, mapEntries: DescriptorProto[], scope: string, ind: string): string[] {
  const lines: string[] = [];
  const printed = new Set<number>();
  for (const f of m.field) {
    const oneof = isFieldSet(f, FieldDescriptorProtoSchema.field.oneofIndex) && !f.proto3Optional ? f.oneofIndex : undefined;
    const decl = oneof === undefined ? undefined : m.oneofDecl[oneof];
    if (oneof === undefined || decl === undefined) {
      lines.push(printField(ctx, f, mapEntries, scope, ind, false));
    } else if (!printed.has(oneof)) {
      printed.add(oneof);
      const members = m.field.filter((x) => isFieldSet(x, FieldDescriptorProtoSchema.field.oneofIndex) && x.oneofIndex === oneof);
      lines.push(
        `${ind}oneof ${decl.name} {`,
        ...optionStatements(ctx, OneofOptionsSchema, decl.options, scope, `${ind}  `),
        ...members.map((x) => printField(ctx, x, mapEntries, scope, `${ind}  `, true)),
        `${ind}}`,
      );
    }
  }
  return lines;
}

function printField(ctx: Ctx, f: FieldDescriptorProto, mapEntries: DescriptorProto[], scope: string, ind: string, inOneof: boolean): string {
  const entry = f.label === Label.REPEATED ? mapEntries.find((n) => f.typeName === `.${join2(scope, n.name)}`) : undefined;
  const key = entry?.field.find((x) => x.number === 1);
  const value = entry?.field.find((x) => x.number === 2);
  const type =
    key && value ? `map<${fieldType(ctx, key, scope)}, ${fieldType(ctx, value, scope)}>` : `${inOneof ? "" : label(ctx, f)}${fieldType(ctx, f, scope)}`;
  const pseudo: string[] = [];
  if (isFieldSet(f, FieldDescriptorProtoSchema.field.defaultValue)) pseudo.push(`default = ${defaultValue(f)}`);
  if (isFieldSet(f, FieldDescriptorProtoSchema.field.jsonName) && f.jsonName !== protoCamelCase(f.name)) {
    pseudo.push(`json_name = ${quote(f.jsonName)}`);
  }
  const opts = bracket([...pseudo, ...optionEntries(ctx, FieldOptionsSchema, f.options, scope, ind)]);
  return `${ind}${type} ${f.name} = ${f.number}${opts};`;
}

function label(ctx: Ctx, f: FieldDescriptorProto): string {
  if (f.label === Label.REPEATED) return "repeated ";
  if (ctx.file.syntax === "editions") return "";
  if (f.label === Label.REQUIRED) return "required ";
  return ctx.file.syntax === "proto3" && !f.proto3Optional ? "" : "optional ";
}

function fieldType(ctx: Ctx, f: FieldDescriptorProto, scope: string): string {
  if (f.type === Type.GROUP) throw new Error(`group fields are not supported: ${f.name}`);
  if (f.type === Type.MESSAGE || f.type === Type.ENUM) return typeRef(ctx, f.typeName, scope);
  return Type[f.type].toLowerCase();
}

function defaultValue(f: FieldDescriptorProto): string {
  if (f.type === Type.STRING) return quote(f.defaultValue);
  // protoc stores bytes defaults C-escaped already
  return f.type === Type.BYTES ? `"${f.defaultValue}"` : f.defaultValue;
}

/** One `extend` block per run of consecutive extensions of the same message. */
function printExtends(ctx: Ctx, exts: FieldDescriptorProto[], scope: string, ind: string): string[][] {
  const blocks: string[][] = [];
  exts.forEach((f, i) => {
    if (exts[i - 1]?.extendee !== f.extendee) blocks.push([`${ind}extend ${typeRef(ctx, f.extendee, scope)} {`]);
    blocks.at(-1)?.push(printField(ctx, f, [], scope, `${ind}  `, false));
  });
  return blocks.map((b) => [...b, `${ind}}`]);
}

function printEnum(ctx: Ctx, e: EnumDescriptorProto, scope: string, ind: string): string[] {
  const inner = `${ind}  `;
  const name = join2(scope, e.name);
  return [
    `${ind}enum ${e.name} {`,
    ...optionStatements(ctx, EnumOptionsSchema, e.options, name, inner),
    ...e.value.map((v) => `${inner}${v.name} = ${v.number}${bracket(optionEntries(ctx, EnumValueOptionsSchema, v.options, name, inner))};`),
    ...printReserved(
      ctx,
      e.reservedRange.map((r) => range(r.start, r.end, ENUM_MAX)),
      e.reservedName,
      inner,
    ),
    `${ind}}`,
  ];
}

function printService(ctx: Ctx, s: ServiceDescriptorProto, scope: string): string[] {
  const methods = s.method.flatMap((m) => {
    const stream = (on: boolean): string => (on ? "stream " : "");
    const input = `${stream(m.clientStreaming)}${typeRef(ctx, m.inputType, scope)}`;
    const output = `${stream(m.serverStreaming)}${typeRef(ctx, m.outputType, scope)}`;
    const sig = `  rpc ${m.name}(${input}) returns (${output})`;
    const opts = optionStatements(ctx, MethodOptionsSchema, m.options, scope, "    ");
    return opts.length ? [`${sig} {`, ...opts, "  }"] : [`${sig};`];
  });
  return [`service ${s.name} {`, ...optionStatements(ctx, ServiceOptionsSchema, s.options, scope, "  "), ...methods, "}"];
}

function range(start: number, endInclusive: number, max: number): string {
  if (start === endInclusive) return `${start}`;
  return `${start} to ${endInclusive === max ? "max" : endInclusive}`;
}

function printReserved(ctx: Ctx, ranges: string[], names: string[], ind: string): string[] {
  // Edition 2024 and later declare reserved names as identifiers.
  const asIdent = ctx.file.syntax === "editions" && ctx.file.edition >= Edition.EDITION_2024;
  return [
    ...(ranges.length ? [`${ind}reserved ${ranges.join(", ")};`] : []),
    ...(names.length ? [`${ind}reserved ${names.map((n) => (asIdent ? n : quote(n))).join(", ")};`] : []),
  ];
}

function bracket(entries: string[]): string {
  return entries.length ? ` [${entries.join(", ")}]` : "";
}

function optionStatements<Desc extends DescMessage>(ctx: Ctx, schema: Desc, opts: MessageShape<Desc> | undefined, scope: string, ind: string): string[] {
  return optionEntries(ctx, schema, opts, scope, ind).map((e) => `${ind}option ${e};`);
}

/** Options as `name = value` entries, custom options as `(name) = value`. */
function optionEntries<Desc extends DescMessage>(ctx: Ctx, schema: Desc, opts: MessageShape<Desc> | undefined, scope: string, ind: string): string[] {
  if (opts === undefined) return [];
  return setFields(ctx, reflect(schema, opts)).flatMap(({ field, values, ext }) => {
    const name = ext ? `(${typeRef(ctx, `.${ext}`, scope)})` : field.name;
    return values.map((v) => `${name} = ${formatValue(ctx, field, v, ind)}`);
  });
}

interface SetField {
  readonly field: DescField | DescExtension;
  /** Elements of a list or entries of a map, or a single value; messages as ReflectMessage. */
  readonly values: readonly unknown[];
  /** Fully qualified name of the extension, if the field is one. */
  readonly ext?: string;
}

/** Set fields of a message, followed by extensions decoded from its unknown fields. */
function setFields(ctx: Ctx, msg: ReflectMessage): SetField[] {
  const known = msg.fields.filter((f) => msg.isSet(f)).map((field) => ({ field, values: fieldValues(msg, field) }));
  const numbers = [...new Set((msg.getUnknown() ?? []).map((u) => u.no))];
  const exts = numbers.map((no) => {
    const ext = ctx.registry.getExtensionFor(msg.desc, no);
    if (!ext) throw new Error(`cannot decode field ${no} of ${msg.desc.typeName}: extension not in registry`);
    const value: unknown = getExtension(msg.message, ext);
    const values = Array.isArray(value) ? value : [value];
    const asReflect = (v: unknown): unknown => (ext.message && isMessage(v, ext.message) ? reflect(ext.message, v) : v);
    return { field: ext, values: values.map(asReflect), ext: ext.typeName };
  });
  return [...known, ...exts];
}

function fieldValues(msg: ReflectMessage, field: DescField): unknown[] {
  switch (field.fieldKind) {
    case "list":
      return [...msg.get(field)];
    case "map":
      return [...msg.get(field)];
    default:
      return [msg.get(field)];
  }
}

/** Formats a single value, list element, or map entry (as `[key, value]`) in text format. */
function formatValue(ctx: Ctx, field: DescField | DescExtension, value: unknown, ind: string): string {
  if (field.fieldKind !== "map") return formatElement(ctx, field, value, ind);
  const [key, val]: unknown[] = Array.isArray(value) ? value : [];
  const inner = `${ind}  `;
  return `{\n${inner}key: ${formatScalar(field.mapKey, key)}\n${inner}value: ${formatElement(ctx, field, val, inner)}\n${ind}}`;
}

function formatElement(ctx: Ctx, field: DescField | DescExtension, value: unknown, ind: string): string {
  if (isReflectMessage(value)) return formatMessage(ctx, value, ind);
  if (field.enum) return field.enum.values.find((v) => v.number === value)?.name ?? String(value);
  if (field.scalar === undefined) throw new Error(`unexpected value for field ${field.name}`);
  return formatScalar(field.scalar, value);
}

function formatMessage(ctx: Ctx, msg: ReflectMessage, ind: string): string {
  const inner = `${ind}  `;
  const lines = setFields(ctx, msg).flatMap(({ field, values, ext }) => {
    const name = ext ? `[${ext}]` : field.name;
    return values.map((v) => `${inner}${name}: ${formatValue(ctx, field, v, inner)}`);
  });
  return lines.length ? `{\n${lines.join("\n")}\n${ind}}` : "{}";
}

function formatScalar(type: ScalarType, value: unknown): string {
  if (type === ScalarType.STRING) return quote(String(value));
  if (value instanceof Uint8Array) return `"${[...value].map(escapeByte).join("")}"`;
  if (typeof value !== "number" || (type !== ScalarType.FLOAT && type !== ScalarType.DOUBLE)) return String(value);
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  return Object.is(value, -0) ? "-0" : String(value);
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Quotes a string literal; non-ASCII characters are kept as UTF-8. */
function quote(s: string): string {
  const escapeChar = (c: string): string => ESCAPES[c] ?? (c < " " || c === "\x7f" ? `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}` : c);
  return `"${[...s].map(escapeChar).join("")}"`;
}

function escapeByte(b: number): string {
  const c = String.fromCharCode(b);
  return ESCAPES[c] ?? (b >= 0x20 && b < 0x7f ? c : `\\${b.toString(8).padStart(3, "0")}`);
}

function protovalidateVersion(): string {
  const pkgJson = new URL("../../package.json", import.meta.resolve("@bufbuild/protovalidate"));
  const parsed: unknown = JSON.parse(readFileSync(pkgJson, "utf8"));
  const version = typeof parsed === "object" && parsed !== null && "version" in parsed ? parsed.version : undefined;
  if (typeof version !== "string") throw new Error(`no version in ${fileURLToPath(pkgJson)}`);
  return version;
}

function main(outDir: string): void {
  const file = file_buf_validate_validate;
  const header = [
    `Generated from the file descriptor embedded in @bufbuild/protovalidate ${protovalidateVersion()}`,
    "by codegen/print-validate-proto.ts. DO NOT EDIT.",
  ];
  const out = join(outDir, file.proto.name);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, printFileDescriptor(file, createRegistry(file), header));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv[2] ?? ".build/protovalidate");
}
