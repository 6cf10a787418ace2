/**
 * Parses YAML with a real YAML parser for tests: Ruby's Psych (`/usr/bin/ruby`, which the Fluentd
 * interop tests need anyway), safe mode, converted to JSON. No npm YAML parser is installed.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** The Ruby interpreter used, `undefined` when it is not installed. */
export const yamlRuby: string | undefined = existsSync("/usr/bin/ruby") ? "/usr/bin/ruby" : undefined;

/** The YAML document `text` as JavaScript values. Throws with Psych's message when it is not valid YAML. */
export function parseYaml(text: string): unknown {
  if (yamlRuby === undefined) throw new Error("no /usr/bin/ruby to parse YAML with");
  const r = spawnSync(yamlRuby, ["-ryaml", "-rjson", "-e", "print JSON.generate(YAML.safe_load($stdin.read))"], {
    input: text,
    encoding: "utf8",
    timeout: 20000,
  });
  if (r.status !== 0) throw new Error(`invalid YAML: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}
