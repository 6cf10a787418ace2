import type { FluentBitProperty, FluentBitSections } from "./fluent-bit-sections.js";

/** Values YAML reads back unchanged without quotes. Anything else is single-quoted. */
const plainScalar = /^[A-Za-z0-9_/][A-Za-z0-9_./-]*$/;

/**
 * A YAML scalar for `value`: plain when safe, else single-quoted with `'` doubled (the only escape
 * single quotes have). Fluent Bit expands `${NAME}` after parsing, so quoting keeps references working.
 */
export function yamlScalar(value: string): string {
  return plainScalar.test(value) ? value : `'${value.replaceAll("'", "''")}'`;
}

function mapping(props: readonly FluentBitProperty[], indent: string, firstIndent: string): string[] {
  return props.map(([key, value], i) => `${i === 0 ? firstIndent : indent}${key}: ${yamlScalar(value)}`);
}

function list(items: readonly (readonly FluentBitProperty[])[], indent: string): string[] {
  return items.flatMap((props) => mapping(props, `${indent}  `, `${indent}- `));
}

/** Renders `sections` as a Fluent Bit YAML config (parsers inline in a top-level `parsers:` list). Pure. */
export function renderYaml(sections: FluentBitSections, header: string): string {
  const lines = [
    ...header.split("\n").map((line) => `# ${line}`),
    "service:",
    ...mapping(sections.service, "  ", "  "),
    "parsers:",
    ...list(sections.parsers, "  "),
    "pipeline:",
    sections.inputs.length === 0 ? "  inputs: []" : "  inputs:",
    ...list(sections.inputs, "    "),
    sections.outputs.length === 0 ? "  outputs: []" : "  outputs:",
    ...list(sections.outputs, "    "),
  ];
  return lines.join("\n") + "\n";
}
