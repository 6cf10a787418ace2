import { suggestOptionKey } from "./did-you-mean.js";
import { telemetryConfigEnv } from "./env-table.js";
import type { SettingReader } from "./read-setting.js";

const topLevelKeys = [
  "serviceName", "serviceType", "serviceVersion", "environment", "machineId", "workerId", "instanceId",
  "fluentd", "otlp", "dash0", "logDir", "maxQueueBytes", "debug",
] as const;

const sectionKeys: Readonly<Record<string, readonly string[]>> = {
  fluentd: ["enabled", "protocol", "host", "port", "tls", "sharedKey"],
  otlp: ["endpoint", "tracesEndpoint", "logsEndpoint", "headers", "gzip", "traces", "logs"],
  dash0: ["endpoint", "apiKey", "dataset"],
};

/**
 * Reports every unknown option key (with "did you mean") and every section that is not an object,
 * as in protoc-gen-es's `parseOptions`. Values of unknown keys are shown redacted: they may be
 * misspelled secrets. Returns whether the options' shape is sound. Never throws.
 */
export function checkOptionKeys(options: unknown, reader: SettingReader): boolean {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    reader.problem("options", options, false, "must be an object", "options={ serviceName: \"api-server\" }");
    return false;
  }
  let sound = true;
  const check = (record: object, known: readonly string[], prefix: string): void => {
    for (const key of Object.keys(record)) {
      if (known.includes(key)) continue;
      const suggestion = suggestOptionKey(key, known);
      const hint = suggestion === undefined ? `known: ${known.join(", ")}` : `did you mean ${prefix}${suggestion}?`;
      reader.problem(`${prefix}${key}`, (record as Record<string, unknown>)[key], true, `is not an option; ${hint}`, suggestion === undefined ? "remove it" : exampleOf(`${prefix}${suggestion}`));
      sound = false;
    }
  };
  check(options, topLevelKeys, "");
  for (const [section, known] of Object.entries(sectionKeys)) {
    const value: unknown = (options as Record<string, unknown>)[section];
    if (value === undefined) continue;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      reader.problem(section, value, true, "must be an object", `${section}={ ${known[0] ?? ""}: … }`);
      sound = false;
    } else {
      check(value, known, `${section}.`);
    }
  }
  return sound;
}

/** `key=<example>` from the env table when `key` has a variable, else `key=…`. */
function exampleOf(key: string): string {
  const variable = Object.values(telemetryConfigEnv).find((candidate) => candidate.option === key);
  return `${key}=${variable === undefined || variable.secret ? "…" : variable.example}`;
}
