import type { FluentBitProperty, FluentBitSections } from "./fluent-bit-sections.js";

function section(name: string, props: readonly FluentBitProperty[]): string[] {
  const width = Math.max(...props.map(([key]) => key.length));
  return [`[${name}]`, ...props.map(([key, value]) => `    ${key.padEnd(width)} ${value}`)];
}

/**
 * Renders `sections` as a classic `.conf` main file (`[SERVICE]`, `[INPUT]`, `[OUTPUT]`; the
 * parsers go to their own file, see {@link renderClassicParsers}). A classic value is the rest of
 * the line, trimmed, taken literally: spaces and quotes need no escaping, and the input checks
 * reject what cannot be written (newlines, edge whitespace). Pure.
 */
export function renderClassic(sections: FluentBitSections, header: string): string {
  const lines = [
    ...header.split("\n").map((line) => `# ${line}`),
    ...section("SERVICE", sections.service),
    ...sections.inputs.flatMap((props) => ["", ...section("INPUT", props)]),
    ...sections.outputs.flatMap((props) => ["", ...section("OUTPUT", props)]),
  ];
  return `${lines.join("\n")}\n`;
}

/** Renders the `[PARSER]` sections as the classic parsers file named by the service's `parsers_file`. Pure. */
export function renderClassicParsers(sections: FluentBitSections, header: string): string {
  const lines = [
    ...header.split("\n").map((line) => `# ${line}`),
    ...sections.parsers.flatMap((props, i) => [...(i === 0 ? [] : [""]), ...section("PARSER", props)]),
  ];
  return `${lines.join("\n")}\n`;
}
