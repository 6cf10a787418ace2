import {
  type DescEnum,
  type DescExtension,
  type DescField,
  type DescFile,
  type DescMessage,
  type DescOneof,
  getOption,
  hasOption,
  ScalarType,
} from "@bufbuild/protobuf";
import { field as fieldRulesExt, oneof as oneofRulesExt, type FieldRules } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";

/** The OTLP slots of options.proto, by the enum value's short name (`OTLP_SLOT_` removed, lower case). */
export type OtlpSlot =
  | "unspecified"
  | "resource"
  | "time"
  | "severity"
  | "body"
  | "trace_id"
  | "span_id"
  | "parent_span_id"
  | "trace_flags"
  | "name"
  | "kind"
  | "start_time"
  | "end_time"
  | "status_code"
  | "status_message"
  | "events"
  | "attributes"
  | "scope_name"
  | "scope_version";

/** A field's target mapping, read from `(emp.telemetry.v1.mapping)`. */
export interface FieldMapping {
  readonly key: string;
  readonly fluentKey: string;
  readonly slot: OtlpSlot;
  readonly flatten: boolean;
  readonly secret: boolean;
}

/** The contract's custom options, found by name in the schema being generated. */
export interface ContractOptions {
  readonly mapping: DescExtension;
  readonly messageMapping: DescExtension;
  readonly contractVersion: DescExtension;
}

/** Thrown for a schema the plugin cannot compile; the message names the element and the reason. */
export class CodegenError extends Error {
  override name = "CodegenError";
}

const optionsPackage = "emp.telemetry.v1";

/** Finds our custom options among all files of the request. */
export function findContractOptions(files: readonly DescFile[]): ContractOptions {
  const byName = new Map<string, DescExtension>();
  for (const file of files) for (const ext of file.extensions) byName.set(ext.typeName, ext);
  const need = (name: string): DescExtension => {
    const ext = byName.get(`${optionsPackage}.${name}`);
    if (ext === undefined) throw new CodegenError(`option ${optionsPackage}.${name} is not defined (options.proto missing?)`);
    return ext;
  };
  return { mapping: need("mapping"), messageMapping: need("message_mapping"), contractVersion: need("contract_version") };
}

/** A file that declares extensions defines options, not contract records. */
export function isOptionsFile(file: DescFile): boolean {
  return file.extensions.length > 0;
}

/** Reads the contract version from the one file that sets `(contract_version)`. */
export function readContractVersion(files: readonly DescFile[], opts: ContractOptions): string {
  const versions = files.filter((f) => hasOption(f, opts.contractVersion)).map((f) => getOption(f, opts.contractVersion));
  if (versions.length !== 1 || typeof versions[0] !== "string" || !/^[0-9]+\.[0-9]+\.[0-9]+$/.test(versions[0])) {
    throw new CodegenError(`exactly one file must set option (contract_version) to a semantic version; found ${JSON.stringify(versions)}`);
  }
  return versions[0];
}

interface RawFieldMapping {
  key: string;
  fluentKey: string;
  otlpSlot: number;
  flatten: boolean;
  secret: boolean;
}

/** Reads a field's mapping, or `undefined` when the field has none. */
export function readFieldMapping(field: DescField, opts: ContractOptions): FieldMapping | undefined {
  if (!hasOption(field, opts.mapping)) return undefined;
  const raw = getOption(field, opts.mapping) as unknown as RawFieldMapping;
  const slotEnum = opts.mapping.message?.fields.find((f) => f.name === "otlp_slot")?.enum;
  return {
    key: raw.key,
    fluentKey: raw.fluentKey || raw.key,
    slot: slotName(slotEnum, raw.otlpSlot),
    flatten: raw.flatten,
    secret: raw.secret,
  };
}

function slotName(slotEnum: DescEnum | undefined, value: number): OtlpSlot {
  const v = slotEnum?.values.find((e) => e.number === value);
  if (v === undefined) throw new CodegenError(`unknown OtlpSlot value ${value}`);
  return v.name.replace(/^OTLP_SLOT_/, "").toLowerCase() as OtlpSlot;
}

/** True for Value, ListValue and MapValue: containers whose fields have no mapping of their own. */
export function isValueContainer(message: DescMessage, opts: ContractOptions): boolean {
  if (!hasOption(message, opts.messageMapping)) return false;
  return (getOption(message, opts.messageMapping) as unknown as { valueContainer: boolean }).valueContainer;
}

/** The buf.validate rules of a field, or `undefined`. */
export function readFieldRules(field: DescField): FieldRules | undefined {
  return hasOption(field, fieldRulesExt) ? getOption(field, fieldRulesExt) : undefined;
}

/** Whether a oneof must have a member set. */
export function isOneofRequired(oneof: DescOneof): boolean {
  return hasOption(oneof, oneofRulesExt) && getOption(oneof, oneofRulesExt).required === true;
}

/** Fields named `*_unix_nano` of type fixed64 are timestamps: targets render them as ISO-8601 strings. */
export function isTimestampField(field: DescField): boolean {
  return field.fieldKind === "scalar" && field.scalar === ScalarType.FIXED64 && field.name.endsWith("_unix_nano");
}

/** A field named `contract_version` is filled by builders with the contract's version. */
export function isContractVersionField(field: DescField): boolean {
  return field.fieldKind === "scalar" && field.scalar === ScalarType.STRING && field.name === "contract_version";
}

/** 64-bit integer scalar types, represented as bigint by protobuf-es. */
export function is64Bit(scalar: ScalarType): boolean {
  return (
    scalar === ScalarType.INT64 ||
    scalar === ScalarType.UINT64 ||
    scalar === ScalarType.SINT64 ||
    scalar === ScalarType.FIXED64 ||
    scalar === ScalarType.SFIXED64
  );
}

/** Short, lower-case name of an enum value: `LOG_LEVEL_INFO` → `info`. */
export function enumValueShortName(e: DescEnum, name: string): string {
  const prefix = e.sharedPrefix?.toUpperCase();
  return (prefix !== undefined && name.startsWith(prefix) ? name.slice(prefix.length) : name).toLowerCase();
}

/** Lower-camel-case of a message name, for function names: `StandardLogEntry` → `standardLogEntry`. */
export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
