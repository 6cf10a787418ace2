import { renderYamlDocument, type YamlValue } from "../yaml.js";
import type { FluentBitProperty, FluentBitSections } from "./fluent-bit-sections.js";

function map(props: readonly FluentBitProperty[]): { readonly [key: string]: YamlValue } {
  return Object.fromEntries(props);
}

/**
 * Renders `sections` as a Fluent Bit YAML config (parsers inline in a top-level `parsers:` list).
 * Fluent Bit reads every scalar as text (the `failsafe` schema) and expands `${NAME}` after parsing,
 * so quoting keeps references working. Pure.
 */
export function renderYaml(sections: FluentBitSections, header: string): string {
  const pipeline = { inputs: sections.inputs.map(map), outputs: sections.outputs.map(map) };
  return renderYamlDocument({ service: map(sections.service), parsers: sections.parsers.map(map), pipeline }, header.split("\n"), "failsafe");
}
