// The one YAML writer of the daemon configurations, read back by a real YAML parser (Ruby's Psych).
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { renderYamlDocument, yamlString } from "../../runtime/daemon-config/yaml.js";
import { parseYaml, yamlRuby } from "../helpers/parse-yaml.js";

/** Psych's parse tree with every scalar as its text: a `failsafe` reader, as Fluent Bit reads its YAML. */
function parseYamlAsText(text: string): unknown {
  const script = `def text(n)
  case n
  when Psych::Nodes::Scalar then n.value
  when Psych::Nodes::Sequence then n.children.map { |c| text(c) }
  when Psych::Nodes::Mapping then n.children.each_slice(2).to_h { |k, v| [text(k), text(v)] }
  else text(n.root)
  end
end
print JSON.generate(text(Psych.parse($stdin.read)))`;
  const r = spawnSync(yamlRuby ?? "ruby", ["-ryaml", "-rjson", "-e", script], { input: text, encoding: "utf8", timeout: 20000 });
  if (r.status !== 0) throw new Error(`invalid YAML: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

const awkward = { quote: `it's "q"`, glob: "*", env: "${FLUENTD_SHARED_KEY}", time: "%Y-%m-%dT%H:%M:%S.%LZ", colon: "x: y", hash: "a #b", empty: "" };
const unprintable = { soh: "a\u0001b", tab: "a\tb", del: "a\u007fb", nel: "a\u0085b", lineSeparator: "a\u2028b", newline: "a\nb" };

describe.skipIf(yamlRuby === undefined)("renderYamlDocument", () => {
  it("round-trips strings YAML would read as other types, keys with slashes and nested lists", () => {
    const doc = {
      "a/b": {
        on: "on",
        no: "no",
        num: "123",
        colon: "x: y",
        hash: "# c",
        quote: 'it\'s "q"',
        env: "${env:X}",
        list: ["yes", 1, true],
        maps: [{ k: "v", n: { m: [] } }],
        empty: {},
      },
    };
    expect(parseYaml(renderYamlDocument(doc, ["comment"]))).toEqual(doc);
  });

  it("round-trips characters JSON leaves raw but YAML must escape (control characters, YAML 1.1 line breaks)", () => {
    const doc = { ...unprintable, slash: "/var/x" };
    expect(parseYaml(renderYamlDocument(doc))).toEqual(doc);
  });

  it("round-trips every string through a reader that takes scalars as text, as Fluent Bit does (failsafe)", () => {
    const doc = { service: { flush: "1", http_server: "on", path: "/var/lib/x" }, inputs: [{ ...awkward, ...unprintable }], outputs: [] };
    expect(parseYamlAsText(renderYamlDocument(doc, ["header"], "failsafe"))).toEqual(doc);
  });
});

describe("yamlString", () => {
  it("quotes, for a core reader, strings it would read as booleans, null or numbers, as JSON strings", () => {
    const typed = ["on", "No", "null", "8080", "1s", "0.0.0.0:4317"];
    expect(typed.map((s) => yamlString(s))).toEqual(typed.map((s) => JSON.stringify(s)));
    const plain = ["default", "resource/emp", "deployment.environment.name", "/var/x"];
    expect(plain.map((s) => yamlString(s))).toEqual(plain);
  });

  it("leaves, for a failsafe reader, everything plain that YAML's syntax allows, and single-quotes the rest", () => {
    expect(["on", "5", "127.0.0.1", "/var/lib/x.db"].map((s) => yamlString(s, "failsafe"))).toEqual(["on", "5", "127.0.0.1", "/var/lib/x.db"]);
    expect(["*", "${KEY}", "it's", ""].map((s) => yamlString(s, "failsafe"))).toEqual(["'*'", "'${KEY}'", "'it''s'", "''"]);
  });

  it("writes what single quotes cannot hold as an escaped double-quoted string, for either reader", () => {
    for (const schema of ["core", "failsafe"] as const) expect(yamlString("a\u0001\u007f\u2028", schema)).toBe('"a\\u0001\\u007f\\u2028"');
  });
});
