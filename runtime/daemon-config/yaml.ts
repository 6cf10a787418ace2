/** A YAML value as {@link renderYamlDocument} writes it: scalars, lists and maps (key order kept). */
export type YamlValue = string | number | boolean | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/**
 * How the daemon reading the file resolves an unquoted scalar (the schemas of YAML 1.2, chapter 10),
 * which decides what {@link yamlString} must quote:
 * - `core`: plain `on`, `no`, `null` or `8080` is read as a boolean, null or number (the OpenTelemetry
 *   Collector's go-yaml, Ruby's Psych). Such strings, and any starting with a digit, are quoted as
 *   JSON strings (a JSON string is a valid YAML double-quoted scalar).
 * - `failsafe`: every scalar is text (Fluent Bit keeps libyaml's scalar text and converts it per key,
 *   so `on`, `5` and paths stay plain, as in Fluent Bit's documentation). Only YAML's syntax needs
 *   quotes: single quotes, inside which the text is taken literally and only `'` is doubled.
 */
export type YamlSchema = "core" | "failsafe";

/** Text YAML reads as one plain scalar in any position: no indicator first, no spaces, no `: ` or ` #`. */
const plainSyntax = /^[A-Za-z0-9_/][A-Za-z0-9_./-]*$/;
/** Plain scalars a `core` reader types: YAML 1.1 and 1.2 booleans and null, and anything starting with a digit (numbers, dates, `1:20`). */
const typedWhenPlain = /^(?:y|n|yes|no|true|false|on|off|null|~|[0-9].*)$/i;
/** Characters a single-quoted scalar cannot hold (not printable, or a line break in YAML 1.1). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it detects
const notSingleQuotable = /[\0-\x08\n-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]/;
/** Characters JSON leaves raw that YAML must escape in a double-quoted scalar. */
const rawInJsonNotYaml = /[\x7f-\x9f\u2028\u2029\ufffe\uffff]/g;

function doubleQuoted(value: string): string {
  return JSON.stringify(value).replace(rawInJsonNotYaml, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * A YAML scalar (or map key) for `value`: plain when the `schema` reader can only read it back as
 * that string, else quoted: single-quoted for `failsafe` readers, a JSON string for `core` readers
 * and for text single quotes cannot hold (control characters, line breaks). Pure.
 */
export function yamlString(value: string, schema: YamlSchema = "core"): string {
  if (plainSyntax.test(value) && (schema === "failsafe" || !typedWhenPlain.test(value))) return value;
  if (schema === "failsafe" && !notSingleQuotable.test(value)) return `'${value.replaceAll("'", "''")}'`;
  return doubleQuoted(value);
}

function isScalar(value: YamlValue): value is string | number | boolean {
  return typeof value !== "object";
}

function lines(value: YamlValue, indent: string, schema: YamlSchema): string[] {
  const scalar = (v: string | number | boolean): string => (typeof v === "string" ? yamlString(v, schema) : String(v));
  if (isScalar(value)) return [`${indent}${scalar(value)}`];
  if (Array.isArray(value)) {
    const list: readonly YamlValue[] = value;
    if (list.every(isScalar)) return [`${indent}[${list.map((v) => scalar(v as string | number | boolean)).join(", ")}]`];
    return list.flatMap((item) => {
      const [first = "", ...rest] = lines(item, `${indent}  `, schema);
      return [`${indent}- ${first.slice(indent.length + 2)}`, ...rest];
    });
  }
  return Object.entries(value as { readonly [key: string]: YamlValue }).flatMap(([key, v]) => {
    const k = `${indent}${yamlString(key, schema)}:`;
    if (isScalar(v)) return [`${k} ${scalar(v)}`];
    if (Array.isArray(v) && (v.length === 0 || v.every(isScalar))) return [`${k} ${lines(v, "", schema)[0] ?? "[]"}`];
    if (!Array.isArray(v) && Object.keys(v).length === 0) return [`${k} {}`];
    return [k, ...lines(v, `${indent}  `, schema)];
  });
}

/**
 * Renders `doc` (a map) as block YAML with two-space indents, lists of scalars in flow style, and
 * `comments` as leading `#` lines, quoting strings for a `schema` reader (default `core`). The one
 * YAML writer of the daemon configurations. Pure.
 */
export function renderYamlDocument(doc: { readonly [key: string]: YamlValue }, comments: readonly string[] = [], schema: YamlSchema = "core"): string {
  return `${[...comments.map((c) => (c === "" ? "#" : `# ${c}`)), ...lines(doc, "", schema)].join("\n")}\n`;
}
