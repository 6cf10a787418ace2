import { type DescField, type DescMessage, type DescOneof, ScalarType } from "@bufbuild/protobuf";
import { is64Bit, isContractVersionField } from "./model.js";
import { contractModule, type OutputFile, pbModule, supportModule, tsTypeName, versionModule } from "./output-file.js";

/** Name of the builder of a message: `buildStandardLogEntry`. */
export function builderName(message: DescMessage): string {
  return `build${tsTypeName(message)}`;
}

/**
 * Emits `buildM(init)`: takes the typed init shape of protoc-gen-es (or a message, returned as is),
 * fills every default (the contract version included) and returns the protobuf-es message as a
 * plain object literal, without the reflection `create()` uses.
 */
export function emitBuilder(out: OutputFile, message: DescMessage): void {
  const type = out.use(pbModule(message.file), tsTypeName(message), true);
  const schema = out.use(pbModule(message.file), `${tsTypeName(message)}Schema`, true);
  const initShape = out.usePackage("@bufbuild/protobuf", "MessageInitShape", true);
  const props: string[] = [`$typeName: ${JSON.stringify(message.typeName)}`];
  const seenOneofs = new Set<DescOneof>();
  for (const field of message.fields) {
    if (field.oneof !== undefined) {
      if (seenOneofs.has(field.oneof)) continue;
      seenOneofs.add(field.oneof);
      props.push(`${field.oneof.localName}: ${emitOneofBuilder(out, message, field.oneof)}(init.${field.oneof.localName})`);
      continue;
    }
    props.push(`${field.localName}: ${fieldInitExpr(out, field)}`);
  }
  out.addFunction({
    name: builderName(message),
    isExported: true,
    docs: [
      `Builds a {@link ${type}} from its typed init shape, every unset field at its default` +
        (message.fields.some(isContractVersionField) ? " and the contract version filled" : "") +
        ". A message passed in is returned as is, and so is a list or map of messages whose items all are messages already.",
    ],
    parameters: [{ name: "init", type: `${initShape}<typeof ${schema}>` }],
    returnType: type,
    // A `$typeName` check, not protobuf-es's isMessage: the contract modules then load no descriptors.
    statements: [
      `if ((init as { $typeName?: string }).$typeName === ${JSON.stringify(message.typeName)}) return init as ${type};`,
      `return { ${props.join(", ")} };`,
    ],
  });
}

function fieldInitExpr(out: OutputFile, field: DescField): string {
  const v = `init.${field.localName}`;
  switch (field.fieldKind) {
    case "scalar":
      if (isContractVersionField(field)) return `${v} ?? ${out.use(versionModule, "CONTRACT_VERSION")}`;
      return `${v} ?? ${scalarDefault(field.scalar)}`;
    case "enum":
      return `${v} ?? 0`;
    case "message":
      return `${v} === undefined ? undefined : ${useBuilder(out, field.message)}(${v})`;
    case "list":
      if (field.listKind === "message")
        return `${out.use(supportModule, "buildMessageList")}(${v}, ${useBuilder(out, field.message)}, ${JSON.stringify(field.message.typeName)})`;
      return `${v} === undefined ? [] : ${v}.slice()`;
    case "map":
      if (field.mapKind === "message") {
        return `${out.use(supportModule, "buildMessageMap")}(${v}, ${useBuilder(out, field.message)}, ${JSON.stringify(field.message.typeName)})`;
      }
      return `${v} === undefined ? {} : { ...${v} }`;
  }
}

function useBuilder(out: OutputFile, message: DescMessage): string {
  return out.use(contractModule(message.file), builderName(message));
}

function emitOneofBuilder(out: OutputFile, message: DescMessage, oneof: DescOneof): string {
  const name = `build${tsTypeName(message)}${oneof.localName.charAt(0).toUpperCase()}${oneof.localName.slice(1)}`;
  const type = out.use(pbModule(message.file), tsTypeName(message), true);
  const schema = out.use(pbModule(message.file), `${tsTypeName(message)}Schema`, true);
  const initShape = out.usePackage("@bufbuild/protobuf", "MessageInitShape", true);
  const cases = oneof.fields
    .filter((f) => f.fieldKind === "message")
    .map(
      (f) =>
        `case ${JSON.stringify(f.localName)}: return { case: ${JSON.stringify(f.localName)}, value: ${useBuilder(out, f.message as DescMessage)}(k.value) };`,
    );
  out.addFunction({
    name,
    parameters: [{ name: "k", type: `${initShape}<typeof ${schema}>[${JSON.stringify(oneof.localName)}]` }],
    returnType: `${type}[${JSON.stringify(oneof.localName)}]`,
    statements: [
      "if (k === undefined) return { case: undefined };",
      `switch (k.case) { ${cases.join(" ")} default: return k.case === undefined ? { case: undefined } : k; }`,
    ],
  });
  return name;
}

function scalarDefault(scalar: ScalarType): string {
  if (scalar === ScalarType.STRING) return '""';
  if (scalar === ScalarType.BOOL) return "false";
  if (scalar === ScalarType.BYTES) return "new Uint8Array(0)";
  return is64Bit(scalar) ? "0n" : "0";
}
