/** A YAML value as {@link renderYamlDocument} writes it: scalars, lists and maps (key order kept). */
export type YamlValue = string | number | boolean | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/** Words YAML 1.1 or 1.2 reads as booleans or null when plain. */
const reservedWords = /^(?:y|n|yes|no|true|false|on|off|null|~)$/i;
const plainString = /^[A-Za-z_][A-Za-z0-9_./-]*$/;

/**
 * A YAML scalar for `value`: plain when it can only be read back as that string, else a
 * double-quoted JSON string (JSON strings are valid YAML double-quoted scalars). Pure.
 */
export function yamlString(value: string): string {
  return plainString.test(value) && !reservedWords.test(value) ? value : JSON.stringify(value);
}

function scalar(value: string | number | boolean): string {
  return typeof value === "string" ? yamlString(value) : String(value);
}

function isScalar(value: YamlValue): value is string | number | boolean {
  return typeof value !== "object";
}

function lines(value: YamlValue, indent: string): string[] {
  if (isScalar(value)) return [`${indent}${scalar(value)}`];
  if (Array.isArray(value)) {
    const list: readonly YamlValue[] = value;
    if (list.every(isScalar)) return [`${indent}[${list.map((v) => scalar(v as string | number | boolean)).join(", ")}]`];
    return list.flatMap((item) => {
      const [first = "", ...rest] = lines(item, `${indent}  `);
      return [`${indent}- ${first.slice(indent.length + 2)}`, ...rest];
    });
  }
  return Object.entries(value as { readonly [key: string]: YamlValue }).flatMap(([key, v]) => {
    const k = `${indent}${yamlString(key)}:`;
    if (isScalar(v)) return [`${k} ${scalar(v)}`];
    if (Array.isArray(v) && (v.length === 0 || v.every(isScalar))) return [`${k} ${lines(v, "")[0] ?? "[]"}`];
    if (!Array.isArray(v) && Object.keys(v).length === 0) return [`${k} {}`];
    return [k, ...lines(v, `${indent}  `)];
  });
}

/**
 * Renders `doc` (a map) as block YAML with two-space indents, lists of scalars in flow style, and
 * `comments` as leading `#` lines. Strings are quoted unless plainly safe. Pure.
 */
export function renderYamlDocument(doc: { readonly [key: string]: YamlValue }, comments: readonly string[] = []): string {
  return [...comments.map((c) => (c === "" ? "#" : `# ${c}`)), ...lines(doc, "")].join("\n") + "\n";
}
