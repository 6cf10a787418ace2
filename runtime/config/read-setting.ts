import type { OptionProblems } from "./option-problems.js";
import { telemetryConfigEnv, type TelemetryEnvName } from "./env-table.js";
import type { Parsed, Parser } from "./parse-values.js";
import { redactedText } from "./secret.js";
import { hideUrlCredentials } from "./url-credentials.js";
import type { ConfigWarning } from "./telemetry-config.js";

/** Outcome of reading one setting: its value and where it came from, not given, or invalid (already reported). */
export type Setting<T> = { readonly status: "set"; readonly value: T; readonly key: string } | { readonly status: "unset" } | { readonly status: "invalid" };

/** Reads settings option-first, then environment, collecting every problem and warning. Internal. */
export interface SettingReader {
  /** Reads the setting of env variable `name`: `optionValue` if given, else the variable or one of its aliases. */
  read<T>(name: TelemetryEnvName, optionValue: unknown, parse: Parser<T>): Setting<T>;
  /** Checks an option that has no env variable. */
  option<T>(key: string, optionValue: unknown, parse: Parser<T>, example: string): Setting<T>;
  /** Reports that required variable `name` is missing, `because` saying why it is required. */
  missing(name: TelemetryEnvName, because: string): void;
  /** Adds a problem; `raw` is shown as text, or `[redacted]` when `secret`. */
  problem(key: string, raw: unknown, secret: boolean, problem: string, example: string): void;
}

/** The value of a setting that is set, else `undefined`. */
export function settingValue<T>(setting: Setting<T>): T | undefined {
  return setting.status === "set" ? setting.value : undefined;
}

/** Env values are trimmed; an empty value counts as not set (OTel spec), e.g. `FOO=${FOO}` in compose files. */
function readEnv(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === "" ? undefined : value;
}

/**
 * A {@link SettingReader} over `env` that adds to `problems` and appends to `warnings`. Aliases: if several
 * names are set and their parsed values differ, that is one problem; an old (deprecated) name in
 * use is a warning. Never throws.
 */
export function createSettingReader(env: Readonly<Record<string, string | undefined>>, problems: OptionProblems, warnings: ConfigWarning[]): SettingReader {
  const problem = (key: string, raw: unknown, secret: boolean, text: string, example: string): void => {
    problems.add(key, raw, text, example, { secret });
  };

  return {
    problem,
    option<T>(key: string, optionValue: unknown, parse: Parser<T>, example: string): Setting<T> {
      if (optionValue === undefined) return { status: "unset" };
      const parsed = parse(optionValue);
      if (parsed.ok) return { status: "set", value: parsed.value, key };
      problem(key, optionValue, false, parsed.problem, example);
      return { status: "invalid" };
    },
    read<T>(name: TelemetryEnvName, optionValue: unknown, parse: Parser<T>): Setting<T> {
      const variable = telemetryConfigEnv[name];
      if (optionValue !== undefined) {
        const parsed = parse(optionValue);
        if (parsed.ok) return { status: "set", value: parsed.value, key: variable.option };
        problem(variable.option, optionValue, variable.secret, parsed.problem, `${variable.option}=${variable.example}`);
        return { status: "invalid" };
      }
      const example = `${name}=${variable.example}`;
      const entry = (key: string): { key: string; raw: string; parsed: Parsed<T> }[] => {
        const raw = readEnv(env, key);
        return raw === undefined ? [] : [{ key, raw, parsed: parse(raw) }];
      };
      const fallbacks = variable.aliases.filter((alias) => alias.precedence === "fallback").map((alias) => alias.name);
      const main = [name, ...variable.aliases.filter((alias) => alias.precedence !== "fallback").map((alias) => alias.name)].flatMap(entry);
      const present = main.length > 0 ? main : fallbacks.flatMap(entry).slice(0, 1);
      if (present.length === 0) return { status: "unset" };
      let valid = true;
      for (const { key, raw, parsed } of present) {
        if (!parsed.ok) {
          problem(key, raw, variable.secret, parsed.problem, example);
          valid = false;
        }
      }
      if (!valid) return { status: "invalid" };
      const winner = variable.aliases.find((alias) => alias.precedence === "wins" && present.some((p) => p.key === alias.name));
      const first = present.find((p) => p.key === winner?.name) ?? present[0];
      if (first === undefined || !first.parsed.ok) return { status: "invalid" };
      const shown = (value: unknown): string => JSON.stringify(value);
      const shownRaw = (raw: string): string => JSON.stringify(variable.secret ? redactedText : hideUrlCredentials(raw));
      for (const other of present) {
        if (other === first || !other.parsed.ok || shown(first.parsed.value) === shown(other.parsed.value)) continue;
        if (winner !== undefined) {
          warnings.push({ key: other.key, message: `${other.key}=${shownRaw(other.raw)} differs from ${first.key}=${shownRaw(first.raw)}: ${first.key} wins` });
          continue;
        }
        problem(first.key, first.raw, variable.secret, `differs from ${other.key}=${shownRaw(other.raw)}: set only one of them`, example);
        valid = false;
      }
      if (!valid) return { status: "invalid" };
      for (const alias of variable.aliases) {
        if (alias.deprecated && present.some((p) => p.key === alias.name)) {
          warnings.push({ key: alias.name, message: `${alias.name} is the old name of ${name}; rename it to ${name}` });
        }
      }
      return { status: "set", value: first.parsed.value, key: first.key };
    },
    missing(name: TelemetryEnvName, because: string): void {
      const variable = telemetryConfigEnv[name];
      const alternatives = [...variable.aliases.map((alias) => alias.name), `option ${variable.option}`].join(", ");
      problem(name, undefined, variable.secret, `is required ${because} (alternatively: ${alternatives})`, `${name}=${variable.example}`);
    },
  };
}
