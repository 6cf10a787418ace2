import { type DescField, type DescFile, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import { Ignore } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { builderName } from "./emit-builders.js";
import { enumNamesConstant, unsetCondition } from "./mapping.js";
import {
  CodegenError,
  type ContractOptions,
  enumValueShortName,
  is64Bit,
  isContractVersionField,
  isTimestampField,
  isValueContainer,
  lowerFirst,
  readFieldRules,
} from "./model.js";
import { contractModule, type OutputFile, pbModule, supportModule, tsTypeName } from "./output-file.js";

// Plain views: the seed's `StandardLogEntry` / `StandardTraceSpan` shapes (what a record looks like in
// a file or on the Fluentd side, nested), generated from the contract with converters both ways.
// Rules, applied to every field of a record (a message with a `contract_version` field) and of the
// messages it holds:
// - names are protobuf-es's (camelCase); `time_unix_nano` is `timestamp`, an RFC 3339 string with
//   nanoseconds; `<x>_time_unix_nano` is `<x>Time`, milliseconds since the epoch (a number);
// - enums are their short names (`"info"`), `Value` maps plain JSON values, messages their views;
// - a field is optional exactly when its zero value is valid, and also `contract_version` (filled by
//   the builder) and `end_*` times (a span read before it ends); optional fields are left out of a
//   view when unset.

/** Name of a message's view type: `StandardLogEntryView`. */
export function viewName(message: DescMessage): string {
  return `${tsTypeName(message)}View`;
}

/** The messages that get views: the records (with a `contract_version` field) and every message they hold, value containers excepted. */
export function viewMessages(files: readonly DescFile[], opts: ContractOptions): ReadonlySet<DescMessage> {
  const out = new Set<DescMessage>();
  const visit = (message: DescMessage): void => {
    if (out.has(message) || isValueContainer(message, opts)) return;
    out.add(message);
    for (const field of message.fields) if (field.message !== undefined) visit(field.message);
  };
  for (const file of files) for (const type of nestedTypes(file)) if (type.kind === "message" && type.fields.some(isContractVersionField)) visit(type);
  return out;
}

/** Whether a field's zero value breaks its rules, so a view must always carry it. */
function zeroIsInvalid(field: DescField): boolean {
  const rules = readFieldRules(field);
  if (rules === undefined || rules.ignore === Ignore.IF_ZERO_VALUE) return false;
  if (field.fieldKind === "message") return rules.required === true;
  const t = rules.type;
  switch (t.case) {
    case "string":
      return t.value.minLen > 0n || t.value.len > 0n || (t.value.pattern !== "" && !new RegExp(t.value.pattern, "u").test("")) || t.value.notIn.includes("");
    case "enum":
      return t.value.notIn.includes(0) || (t.value.in.length > 0 && !t.value.in.includes(0));
    case "fixed64":
    case "uint64":
    case "int64":
    case "uint32":
    case "int32":
    case "double": {
      const lo = t.value.greaterThan;
      return (lo.case === "gt" && Number(lo.value) >= 0) || (lo.case === "gte" && Number(lo.value) > 0);
    }
    default:
      return false;
  }
}

function isOptional(field: DescField): boolean {
  return isContractVersionField(field) || field.name.startsWith("end_") || !zeroIsInvalid(field);
}

/** A field's name, type and converters in a view. */
interface ViewField {
  readonly name: string;
  readonly type: string;
  readonly toView: (acc: string) => string;
  readonly fromView: (acc: string) => string;
}

function viewField(out: OutputFile, views: ReadonlySet<DescMessage>, field: DescField): ViewField {
  const where = `${field.parent.typeName}.${field.name}`;
  const fn = (message: DescMessage, suffix: string): string => out.use(contractModule(message.file), `${lowerFirst(tsTypeName(message))}${suffix}`);
  const plain = (): string => out.use(supportModule, "PlainValue", true);
  const viewType = (m: DescMessage): string => out.use(contractModule(m.file), viewName(m), true);
  const named = (name: string, type: string, toView: ViewField["toView"], fromView: ViewField["fromView"]): ViewField => ({ name, type, toView, fromView });
  switch (field.fieldKind) {
    case "scalar": {
      if (isTimestampField(field)) {
        if (field.name === "time_unix_nano")
          return named(
            "timestamp",
            "string",
            (a) => `${out.use(supportModule, "nanosToIso")}(${a})`,
            (a) => `${out.use(supportModule, "isoToNanos")}(${a})`,
          );
        const name = field.localName.replace(/UnixNano$/, "");
        return named(
          name,
          "number",
          (a) => `${out.use(supportModule, "nanosToMs")}(${a})`,
          (a) => `${out.use(supportModule, "msToNanos")}(${a})`,
        );
      }
      if (is64Bit(field.scalar))
        return named(
          field.localName,
          "number",
          (a) => `Number(${a})`,
          (a) => `BigInt(Math.trunc(Number(${a} ?? 0)))`,
        );
      if (field.scalar === ScalarType.BYTES) throw new CodegenError(`${where}: bytes fields have no plain view`);
      const type = field.scalar === ScalarType.STRING ? "string" : field.scalar === ScalarType.BOOL ? "boolean" : "number";
      return named(
        field.localName,
        type,
        (a) => a,
        (a) => a,
      );
    }
    case "enum": {
      const e = field.enum;
      const union = e.values.filter((v) => v.number !== 0).map((v) => JSON.stringify(enumValueShortName(e, v.name)));
      const type = union.length > 0 ? union.join(" | ") : "string";
      const names = out.use(contractModule(e.file), enumNamesConstant(e));
      const enumType = out.use(pbModule(e.file), tsTypeName(e), true);
      return named(
        field.localName,
        type,
        (a) => `${names}[${a}] as ${type}`,
        (a) => `${out.use(supportModule, "enumValueOf")}(${names}, ${a}) as ${enumType}`,
      );
    }
    case "message": {
      const m = field.message;
      if (!views.has(m)) throw new CodegenError(`${where}: ${m.typeName} has no view`);
      // A required message that is missing (an invalid record) reads as its empty message.
      const empty = `${out.use(contractModule(m.file), builderName(m))}({})`;
      return named(
        field.localName,
        viewType(m),
        (a) => `${fn(m, "ToView")}(${a} ?? ${empty})`,
        (a) => `${fn(m, "FromView")}(${a})`,
      );
    }
    case "list": {
      if (field.listKind === "message") {
        const m = field.message;
        return named(
          field.localName,
          `${viewType(m)}[]`,
          (a) => `${a}.map(${fn(m, "ToView")})`,
          (a) => `(${a} ?? []).map(${fn(m, "FromView")})`,
        );
      }
      if (field.listKind === "scalar" && field.scalar === ScalarType.STRING)
        return named(
          field.localName,
          "string[]",
          (a) => `${a}.slice()`,
          (a) => `(${a} ?? []).slice()`,
        );
      if (field.listKind === "scalar" && is64Bit(field.scalar))
        return named(
          field.localName,
          "number[]",
          (a) => `${a}.map(Number)`,
          (a) => `(${a} ?? []).map((x) => BigInt(Math.trunc(Number(x))))`,
        );
      if (field.listKind === "scalar" && field.scalar !== ScalarType.BOOL && field.scalar !== ScalarType.BYTES)
        return named(
          field.localName,
          "number[]",
          (a) => `${a}.slice()`,
          (a) => `(${a} ?? []).slice()`,
        );
      throw new CodegenError(`${where}: this list kind has no plain view`);
    }
    case "map": {
      if (field.mapKind !== "message" || field.message.typeName !== "emp.telemetry.v1.Value")
        throw new CodegenError(`${where}: only maps of Value have a plain view`);
      const m = field.message;
      const type = `{ [key: string]: ${plain()} }`;
      return named(
        field.localName,
        type,
        (a) => `${out.use(supportModule, "mapRecord")}(${a}, ${fn(m, "ToPlain")})`,
        (a) => `${out.use(supportModule, "valuesFromPlain")}(${a}, (x) => ${fn(m, "FromPlain")}(x))`,
      );
    }
  }
}

/** Emits `interface MView`, `mToView(m)` and `mFromView(view)` for a message of {@link viewMessages}. */
export function emitView(out: OutputFile, views: ReadonlySet<DescMessage>, message: DescMessage): void {
  const type = out.use(pbModule(message.file), tsTypeName(message), true);
  const view = viewName(message);
  const fields = message.fields.map((field) => ({ field, v: viewField(out, views, field), optional: isOptional(field) }));
  const members = fields.map(
    ({ field, v, optional }) => `  /** \`${field.name}\`${optional ? ", left out when unset" : ""}. */\n  ${v.name}${optional ? "?" : ""}: ${v.type};`,
  );
  out.addStatement(
    `/**\n * The plain view of {@link ${type}}: what the record looks like in a file or on the Fluentd side, nested` +
      ` (the seed's shape). Convert with {@link ${lowerFirst(tsTypeName(message))}ToView} and {@link ${lowerFirst(tsTypeName(message))}FromView}.\n */\n` +
      `export interface ${view} {\n${members.join("\n")}\n}`,
  );
  const required = fields.filter((f) => !f.optional).map(({ field, v }) => `${v.name}: ${v.toView(`m.${field.localName}`)}`);
  const optional = fields
    .filter((f) => f.optional)
    .map(({ field, v }) => {
      const unset = unsetCondition(field, `m.${field.localName}`);
      return unset === undefined
        ? `out.${v.name} = ${v.toView(`m.${field.localName}`)};`
        : `if (!(${unset})) out.${v.name} = ${v.toView(`m.${field.localName}`)};`;
    });
  out.addFunction({
    name: `${lowerFirst(tsTypeName(message))}ToView`,
    isExported: true,
    docs: [`The plain view of a {@link ${type}}: unset optional fields left out. Pure; never throws.`],
    parameters: [{ name: "m", type }],
    returnType: view,
    statements: [`const out: ${view} = { ${required.join(", ")} };`, ...optional, "return out;"],
  });
  const init = fields.map(({ field, v, optional: opt }) => {
    const acc = `v.${v.name}`;
    const convert = v.fromView(acc);
    const needsGuard = opt && field.fieldKind === "message";
    return `${field.localName}: ${needsGuard ? `${acc} === undefined ? undefined : ${convert}` : convert}`;
  });
  out.addFunction({
    name: `${lowerFirst(tsTypeName(message))}FromView`,
    isExported: true,
    docs: [
      `The contract message of a plain view (a seed-shaped record): unknown enum names become unspecified, unparsable times 0,` +
        ` values that are no JSON value are left out. Validate the result with the generated validator.`,
    ],
    parameters: [{ name: "v", type: view }],
    returnType: type,
    statements: [`return ${out.use(contractModule(message.file), builderName(message))}({ ${init.join(", ")} });`],
  });
}
