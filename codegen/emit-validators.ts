import { type DescEnum, type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { isFieldSet, type Message } from "@bufbuild/protobuf";
import { file_buf_validate_validate, Ignore, type FieldRules, type StringRules } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { CodegenError, is64Bit, isOneofRequired, readFieldRules } from "./model.js";
import { contractModule, type OutputFile, pbModule, supportModule, tsTypeName } from "./output-file.js";

/** Name of the validator of a message: `validateStandardLogEntry`. */
export function validatorName(message: DescMessage): string {
  return `validate${tsTypeName(message)}`;
}

/**
 * Each message gets two compiled forms of its rules: `test` (`isValidM`, a boolean, no paths built,
 * stops at the first failure: the hot path) and `collect` (`collectMViolations`, every violation
 * with its path: run only once `test` failed).
 */
type Mode = "test" | "collect";

const fnName: Record<Mode, (message: DescMessage) => string> = {
  test: (m) => `isValid${tsTypeName(m)}`,
  collect: (m) => `collect${tsTypeName(m)}Violations`,
};

/** What the emitted checks of one value need: where it is, how to report, and where to put code. */
interface Site {
  readonly mode: Mode;
  readonly out: OutputFile;
  readonly lines: string[];
  /** Expression of the value's path (a string expression). */
  readonly path: string;
  /** Element being described, for errors. */
  readonly where: string;
  readonly forKey: boolean;
}

/**
 * Emits `validateM(m)`: the buf.validate rules of the message compiled into straight-line TypeScript,
 * returning the violations (empty when valid) with protovalidate's field paths and rule ids, so
 * protovalidate-es can serve as its oracle; and `isValidM(m)`, the same rules as one boolean. A rule
 * the compiler does not support is a generation error, never silently skipped.
 */
export function emitValidator(out: OutputFile, message: DescMessage): void {
  const type = out.use(pbModule(message.file), tsTypeName(message), true);
  const violationType = out.use(supportModule, "Violation", true);
  for (const mode of ["test", "collect"] as const) {
    const lines: string[] = [];
    for (const oneof of message.oneofs) {
      if (!isOneofRequired(oneof)) continue;
      const site: Site = { mode, out, lines, path: `${pf(out)}(path, ${JSON.stringify(oneof.name)})`, where: oneof.toString(), forKey: false };
      lines.push(`if (m.${oneof.localName}.case === undefined) ${fail(site, "required", "exactly one field is required in oneof")}`);
    }
    for (const field of message.fields) emitField(mode, out, lines, field);
    if (mode === "test") {
      out.addFunction({
        name: fnName.test(message),
        isExported: true,
        docs: [`Whether a {@link ${type}} satisfies every rule of the contract: the fast check, building no paths. Never throws.`],
        parameters: [{ name: "m", type }],
        returnType: "boolean",
        statements: [...lines, "return true;"],
      });
    } else {
      out.addFunction({
        name: fnName.collect(message),
        isExported: true,
        docs: [`Appends every violation of a {@link ${type}} to \`out\`, paths below \`path\`. Used by {@link ${validatorName(message)}}.`],
        parameters: [
          { name: "m", type },
          { name: "path", type: "string" },
          { name: "out", type: `${violationType}[]` },
        ],
        returnType: "void",
        statements: lines,
      });
    }
  }
  out.addFunction({
    name: validatorName(message),
    isExported: true,
    docs: [
      `Checks a {@link ${type}} against the contract's rules. Never throws.\n` +
        "@returns the violations, with protovalidate's field paths and rule ids; a shared empty array when valid",
    ],
    parameters: [{ name: "m", type }],
    returnType: `readonly ${violationType}[]`,
    statements: [
      `if (${fnName.test(message)}(m)) return ${out.use(supportModule, "noViolations")};`,
      `const out: ${violationType}[] = [];`,
      `${fnName.collect(message)}(m, "", out);`,
      "return out;",
    ],
  });
}

/** The statement reporting a failed rule. */
function fail(site: Site, rule: string, message: string): string {
  if (site.mode === "test") return "return false;";
  const forKey = site.forKey ? ", true" : "";
  return `out.push(${v(site.out)}(${site.path}, ${JSON.stringify(rule)}, ${JSON.stringify(message)}${forKey}));`;
}

/** The statement validating a nested message. */
function nested(site: Site, message: DescMessage, value: string): string {
  const fn = site.out.use(contractModule(message.file), fnName[site.mode](message));
  return site.mode === "test" ? `if (!${fn}(${value})) return false;` : `${fn}(${value}, ${site.path}, out);`;
}

const v = (out: OutputFile): string => out.use(supportModule, "violation");
const pf = (out: OutputFile): string => out.use(supportModule, "pathField");

function emitField(mode: Mode, out: OutputFile, lines: string[], field: DescField): void {
  const rules = readFieldRules(field);
  if (rules?.ignore === Ignore.ALWAYS) return;
  const where = `${field.parent.typeName}.${field.name}`;
  const path = `${pf(out)}(path, ${JSON.stringify(field.name)})`;
  const site: Site = { mode, out, lines, path, where, forKey: false };
  if (rules?.required === true && field.fieldKind !== "message") {
    throw new CodegenError(`${where}: "required" is only supported on message fields`);
  }
  if (field.oneof !== undefined) {
    lines.push(`if (m.${field.oneof.localName}.case === ${JSON.stringify(field.localName)}) {`, `const x = m.${field.oneof.localName}.value;`);
    emitSingular(site, field, "x", rules);
    lines.push("}");
    return;
  }
  const value = `m.${field.localName}`;
  switch (field.fieldKind) {
    case "message":
      if (rules?.required === true) {
        lines.push(`if (${value} === undefined) ${fail(site, "required", "value is required")}`);
        lines.push(`else { ${nested(site, field.message, value)} }`);
      } else {
        lines.push(`if (${value} !== undefined) { ${nested(site, field.message, value)} }`);
      }
      checkNoTypeRules(where, rules);
      return;
    case "list":
      emitList(site, field, value, rules);
      return;
    case "map":
      emitMap(site, field, value, rules);
      return;
    default:
      emitSingular(site, field, value, rules);
  }
}

function emitSingular(site: Site, field: DescField, value: string, rules: FieldRules | undefined): void {
  if (field.fieldKind === "message") {
    site.lines.push(nested(site, field.message, value));
    return;
  }
  if (rules === undefined || rules.type.case === undefined) return;
  const ignoreZero = rules.ignore === Ignore.IF_ZERO_VALUE;
  if (ignoreZero) site.lines.push(`if (${value} !== ${zeroOf(field)}) {`);
  site.lines.push("{", `const val = ${value};`);
  emitTypeRules(site, field, rules);
  site.lines.push("}");
  if (ignoreZero) site.lines.push("}");
}

function zeroOf(field: DescField): string {
  if (field.fieldKind === "enum") return "0";
  if (field.fieldKind !== "scalar") throw new CodegenError(`no zero value for ${field.toString()}`);
  if (field.scalar === ScalarType.STRING) return '""';
  if (field.scalar === ScalarType.BOOL) return "false";
  return is64Bit(field.scalar) ? "0n" : "0";
}

function checkNoTypeRules(where: string, rules: FieldRules | undefined): void {
  if (rules !== undefined && rules.type.case !== undefined) {
    throw new CodegenError(`${where}: rules of type "${rules.type.case}" are not supported here`);
  }
}

/** Emits the checks of `rules.type` for the value in `val`. */
function emitTypeRules(site: Site, field: DescField | { scalar: ScalarType; enum?: DescEnum }, rules: FieldRules): void {
  const t = rules.type;
  switch (t.case) {
    case undefined:
      return;
    case "string":
      emitStringRules(site, t.value);
      return;
    case "enum": {
      const e = "enum" in field && field.enum !== undefined ? field.enum : undefined;
      if (e === undefined) throw new CodegenError(`${site.where}: enum rules on a non-enum field`);
      const r = t.value;
      if (has(r, "const")) check(site, `val !== ${r.const}`, "enum.const", `value must equal ${r.const}`);
      if (r.definedOnly === true) {
        const defined = e.values.map((x) => x.number).sort((a, b) => a - b);
        check(site, `!(${defined.map((n) => `val === ${n}`).join(" || ")})`, "enum.defined_only", "value must be one of the defined enum values");
      }
      emitInNotIn(site, "enum", r.in.map(String), r.notIn.map(String));
      return;
    }
    case "bool":
      if (has(t.value, "const")) check(site, `val !== ${String(t.value.const)}`, "bool.const", `value must equal ${String(t.value.const)}`);
      return;
    case "double":
    case "float":
    case "int32":
    case "int64":
    case "uint32":
    case "uint64":
    case "sint32":
    case "sint64":
    case "fixed32":
    case "fixed64":
    case "sfixed32":
    case "sfixed64":
      emitNumberRules(site, t.case, t.value);
      return;
    default:
      throw new CodegenError(`${site.where}: rules of type "${t.case}" are not supported by the validator compiler`);
  }
}

/** Whether a rule is set: rules messages use explicit presence, so a default value may be set or not. */
function has(rules: Message, localName: string): boolean {
  const schema = file_buf_validate_validate.messages.find((m) => m.typeName === rules.$typeName);
  const field = schema?.fields.find((f) => f.localName === localName);
  return field !== undefined && isFieldSet(rules, field);
}

interface NumberRules extends Message {
  const: number | bigint;
  lessThan: { case: "lt" | "lte"; value: number | bigint } | { case: undefined; value?: undefined } | { case: string; value: unknown };
  greaterThan: { case: "gt" | "gte"; value: number | bigint } | { case: undefined; value?: undefined } | { case: string; value: unknown };
  in: readonly (number | bigint)[];
  notIn: readonly (number | bigint)[];
  finite?: boolean;
}

function lit(n: number | bigint): string {
  if (typeof n === "bigint") return `${n.toString()}n`;
  if (Number.isNaN(n)) return "Number.NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return String(n);
}

function emitNumberRules(site: Site, kind: string, r: NumberRules): void {
  if (has(r, "const")) check(site, `val !== ${lit(r.const)}`, `${kind}.const`, `value must equal ${String(r.const)}`);
  const lo = r.greaterThan.case === "gt" || r.greaterThan.case === "gte" ? (r.greaterThan as { case: "gt" | "gte"; value: number | bigint }) : undefined;
  const hi = r.lessThan.case === "lt" || r.lessThan.case === "lte" ? (r.lessThan as { case: "lt" | "lte"; value: number | bigint }) : undefined;
  const loOk = lo && (lo.case === "gt" ? `val > ${lit(lo.value)}` : `val >= ${lit(lo.value)}`);
  const hiOk = hi && (hi.case === "lt" ? `val < ${lit(hi.value)}` : `val <= ${lit(hi.value)}`);
  const words: Record<string, string> = { gt: "greater than", gte: "greater than or equal to", lt: "less than", lte: "less than or equal to" };
  if (lo && hi && loOk && hiOk) {
    const exclusive = hi.value < lo.value || (hi.value === lo.value && (lo.case === "gt" || hi.case === "lt"));
    const id = `${kind}.${lo.case}_${hi.case}${exclusive ? "_exclusive" : ""}`;
    const cond = exclusive ? `!(${loOk} || ${hiOk})` : `!(${loOk} && ${hiOk})`;
    const msg = `value must be ${words[lo.case]} ${String(lo.value)} ${exclusive ? "or" : "and"} ${words[hi.case]} ${String(hi.value)}`;
    check(site, cond, id, msg);
  } else if (lo && loOk) {
    check(site, `!(${loOk})`, `${kind}.${lo.case}`, `value must be ${words[lo.case]} ${String(lo.value)}`);
  } else if (hi && hiOk) {
    check(site, `!(${hiOk})`, `${kind}.${hi.case}`, `value must be ${words[hi.case]} ${String(hi.value)}`);
  }
  emitInNotIn(site, kind, r.in.map(lit), r.notIn.map(lit));
  if (r.finite === true) check(site, "!Number.isFinite(val)", `${kind}.finite`, "value must be finite");
}

function emitStringRules(site: Site, r: StringRules): void {
  // Code points are counted only when the UTF-16 length cannot decide: a string has between
  // length/2 and length code points.
  const runes = `${site.out.use(supportModule, "runeCount")}(val)`;
  const bytes = (): string => `${site.out.use(supportModule, "utf8Length")}(val)`;
  if (has(r, "const")) check(site, `val !== ${JSON.stringify(r.const)}`, "string.const", `value must equal \`${r.const}\``);
  if (has(r, "len")) check(site, `${runes} !== ${r.len}`, "string.len", `value length must be ${r.len} characters`);
  if (has(r, "minLen"))
    check(site, `val.length < ${2n * r.minLen} && ${runes} < ${r.minLen}`, "string.min_len", `value length must be at least ${r.minLen} characters`);
  if (has(r, "maxLen"))
    check(site, `val.length > ${r.maxLen} && ${runes} > ${r.maxLen}`, "string.max_len", `value length must be at most ${r.maxLen} characters`);
  if (has(r, "lenBytes")) check(site, `${bytes()} !== ${r.lenBytes}`, "string.len_bytes", `value length must be ${r.lenBytes} bytes`);
  if (has(r, "minBytes")) check(site, `${bytes()} < ${r.minBytes}`, "string.min_bytes", `value length must be at least ${r.minBytes} bytes`);
  if (has(r, "maxBytes")) check(site, `${bytes()} > ${r.maxBytes}`, "string.max_bytes", `value length must be at most ${r.maxBytes} bytes`);
  if (has(r, "pattern")) {
    // `^[0-9a-f]{N}$` (trace and span ids, unique on every record) is checked character by
    // character; any other pattern by its regular expression.
    const hex = /^\^\[0-9a-f\]\{(\d+)\}\$$/.exec(r.pattern);
    const re = hex === null ? regexConstant(site.out, r.pattern) : undefined;
    const test = re === undefined ? `${site.out.use(supportModule, "isLowerHex")}(val, ${hex![1]})` : `${re}(val)`;
    check(site, `!${test}`, "string.pattern", `value does not match regex pattern \`${r.pattern}\``);
  }
  if (has(r, "prefix")) check(site, `!val.startsWith(${JSON.stringify(r.prefix)})`, "string.prefix", `value does not have prefix \`${r.prefix}\``);
  if (has(r, "suffix")) check(site, `!val.endsWith(${JSON.stringify(r.suffix)})`, "string.suffix", `value does not have suffix \`${r.suffix}\``);
  if (has(r, "contains")) check(site, `!val.includes(${JSON.stringify(r.contains)})`, "string.contains", `value does not contain substring \`${r.contains}\``);
  if (has(r, "notContains")) {
    check(site, `val.includes(${JSON.stringify(r.notContains)})`, "string.not_contains", `value contains substring \`${r.notContains}\``);
  }
  emitInNotIn(
    site,
    "string",
    r.in.map((s) => JSON.stringify(s)),
    r.notIn.map((s) => JSON.stringify(s)),
  );
  if (r.wellKnown.case !== undefined) throw new CodegenError(`${site.where}: string.${r.wellKnown.case} is not supported by the validator compiler`);
}

function emitInNotIn(site: Site, kind: string, inList: string[], notIn: string[]): void {
  if (inList.length > 0) check(site, `!(${inList.map((x) => `val === ${x}`).join(" || ")})`, `${kind}.in`, `value must be in list [${inList.join(", ")}]`);
  if (notIn.length > 0) check(site, `${notIn.map((x) => `val === ${x}`).join(" || ")}`, `${kind}.not_in`, `value must not be in list [${notIn.join(", ")}]`);
}

const regexNames = new WeakMap<OutputFile, Map<string, string>>();

function regexConstant(out: OutputFile, pattern: string): string {
  let names = regexNames.get(out);
  if (names === undefined) regexNames.set(out, (names = new Map()));
  let name = names.get(pattern);
  if (name === undefined) {
    name = `pattern${names.size}`;
    names.set(pattern, name);
    out.addStatement(`const ${name} = ${out.use(supportModule, "patternMatcher")}(${JSON.stringify(pattern)});`);
  }
  return name;
}

function check(site: Site, failCondition: string, rule: string, message: string): void {
  site.lines.push(`if (${failCondition}) ${fail(site, rule, message)}`);
}

function emitList(site: Site, field: DescField & { fieldKind: "list" }, value: string, rules: FieldRules | undefined): void {
  const { out, lines } = site;
  if (rules !== undefined && rules.type.case !== undefined && rules.type.case !== "repeated") {
    throw new CodegenError(`${site.where}: "${rules.type.case}" rules on a repeated field`);
  }
  const r = rules?.type.case === "repeated" ? rules.type.value : undefined;
  if (r !== undefined && has(r, "minItems"))
    check({ ...site, lines }, `${value}.length < ${r.minItems}`, "repeated.min_items", `value must contain at least ${r.minItems} item(s)`);
  if (r !== undefined && has(r, "maxItems"))
    check({ ...site, lines }, `${value}.length > ${r.maxItems}`, "repeated.max_items", `value must contain no more than ${r.maxItems} item(s)`);
  if (r?.unique === true) throw new CodegenError(`${site.where}: repeated.unique is not supported by the validator compiler`);
  const item = r?.items;
  const needsLoop = field.listKind === "message" || (item !== undefined && item.type.case !== undefined);
  if (!needsLoop) return;
  const itemPath = `${out.use(supportModule, "pathIndex")}(${site.path}, i)`;
  lines.push(`for (let i = 0; i < ${value}.length; i++) {`, `const item = ${value}[i]!;`);
  const itemSite: Site = { ...site, path: itemPath };
  if (field.listKind === "message") lines.push(nested(itemSite, field.message, "item"));
  else if (item !== undefined) emitElementRules(itemSite, field, "item", item);
  lines.push("}");
}

function emitMap(site: Site, field: DescField & { fieldKind: "map" }, value: string, rules: FieldRules | undefined): void {
  const { out, lines } = site;
  if (rules !== undefined && rules.type.case !== undefined && rules.type.case !== "map") {
    throw new CodegenError(`${site.where}: "${rules.type.case}" rules on a map field`);
  }
  const r = rules?.type.case === "map" ? rules.type.value : undefined;
  const needsKeys = r !== undefined && (has(r, "minPairs") || has(r, "maxPairs"));
  if (needsKeys || r?.keys !== undefined || r?.values !== undefined || field.mapKind === "message") {
    const minPairs = r !== undefined && has(r, "minPairs") ? r.minPairs : undefined;
    const maxPairs = r !== undefined && has(r, "maxPairs") ? r.maxPairs : undefined;
    const entryPath = `${out.use(supportModule, "pathKey")}(${site.path}, k)`;
    if (site.mode === "test") {
      // The fast check walks the map with for-in (no key array allocated per call; own keys only),
      // counting the pairs as it goes.
      const counted = minPairs !== undefined || maxPairs !== undefined;
      lines.push(`{`, ...(counted ? [`let pairs = 0;`] : []), `for (const k in ${value}) {`, `if (!Object.hasOwn(${value}, k)) continue;`);
      if (maxPairs !== undefined) lines.push(`if (++pairs > ${maxPairs}) return false;`);
      else if (counted) lines.push(`pairs++;`);
    } else {
      lines.push(`{`, `const keys = Object.keys(${value});`);
      if (minPairs !== undefined) check(site, `keys.length < ${minPairs}`, "map.min_pairs", `map must be at least ${minPairs} entries`);
      if (maxPairs !== undefined) check(site, `keys.length > ${maxPairs}`, "map.max_pairs", `map must be at most ${maxPairs} entries`);
      lines.push("for (const k of keys) {");
    }
    if (r?.keys !== undefined && r.keys.type.case !== undefined) {
      if (field.mapKey !== ScalarType.STRING) throw new CodegenError(`${site.where}: only string map keys are supported`);
      lines.push("{", "const val = k;");
      emitTypeRules({ ...site, path: entryPath, forKey: true }, { scalar: ScalarType.STRING }, r.keys);
      lines.push("}");
    }
    lines.push(`const item = ${value}[k]!;`);
    if (field.mapKind === "message") lines.push(nested({ ...site, path: entryPath }, field.message, "item"));
    else if (r?.values !== undefined) emitElementRules({ ...site, path: entryPath }, field, "item", r.values);
    lines.push("}");
    if (site.mode === "test" && minPairs !== undefined) lines.push(`if (pairs < ${minPairs}) return false;`);
    lines.push("}");
  }
}

function emitElementRules(site: Site, field: DescField, value: string, rules: FieldRules): void {
  if (rules.type.case === undefined) return;
  const element =
    field.fieldKind === "list" && field.listKind === "enum"
      ? { scalar: ScalarType.INT32, enum: field.enum }
      : field.fieldKind === "list" && field.listKind === "scalar"
        ? { scalar: field.scalar }
        : field.fieldKind === "map" && field.mapKind === "scalar"
          ? { scalar: field.scalar }
          : field.fieldKind === "map" && field.mapKind === "enum"
            ? { scalar: ScalarType.INT32, enum: field.enum }
            : undefined;
  if (element === undefined) throw new CodegenError(`${site.where}: element rules need scalar or enum elements`);
  site.lines.push("{", `const val = ${value};`);
  emitTypeRules(site, element, rules);
  site.lines.push("}");
}
