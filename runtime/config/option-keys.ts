import type { OptionProblems } from "./option-problems.js";
import { telemetryConfigEnv } from "./env-table.js";

const topLevelKeys = [
  "serviceName",
  "serviceType",
  "serviceVersion",
  "environment",
  "machineId",
  "workerId",
  "instanceId",
  "fluentd",
  "otlp",
  "dash0",
  "logDir",
  "logToFile",
  "maxQueueBytes",
  "debug",
  "disabled",
  "consoleOutput",
  "resourceAttributes",
  "tracing",
  "metrics",
  "console",
] as const;

/**
 * The client's own option keys (`EmpTelemetryClientOptions` beyond the configuration's): the client
 * takes them out before resolving the configuration; here they are suggested for a misspelled key
 * (`handleExitSignal` → `handleExitSignals`) and listed among the known ones.
 */
export const clientOptionKeys = [
  "env",
  "level",
  "maxSpanQueueBytes",
  "pipelineTests",
  "debugRecords",
  "diagnosticsWriter",
  "healthCheckIntervalMs",
  "fluentdTag",
  "registerGlobal",
  "handleExitSignals",
  "logFiles",
  "healthEndpoint",
  "autoStartupTrace",
  "machineType",
  "startupPhases",
  "autoFluentBitConfig",
  "fluentBitConfigPath",
  "connectorType",
  "jobTracing",
  "autoJobInstrumentation",
  "metrics",
  "spool",
  "flushTimeoutMs",
  "configWarnings",
  "exitReport",
  "redact",
  "beforeSend",
  "captureUncaught",
] as const;

const perSignalOtlpKeys = ["traces", "logs", "metrics"].flatMap((signal) =>
  ["Endpoint", "Protocol", "TimeoutMs", "Headers", "Gzip", "CertificateFile", "Insecure"].map((setting) => `${signal}${setting}`),
);

const sectionKeys: Readonly<Record<string, readonly string[]>> = {
  fluentd: ["enabled", "protocol", "host", "port", "tls", "sharedKey"],
  otlp: ["enabled", "endpoint", "protocol", "timeoutMs", "headers", "gzip", "certificateFile", "insecure", "traces", "logs", "metrics", ...perSignalOtlpKeys],
  dash0: ["endpoint", "tracesEndpoint", "metricsEndpoint", "logsEndpoint", "apiKey", "dataset"],
  tracing: [
    "sampler",
    "samplerArg",
    "attributeValueLengthLimit",
    "attributeCountLimit",
    "spanAttributeValueLengthLimit",
    "spanAttributeCountLimit",
    "eventCountLimit",
    "linkCountLimit",
    "eventAttributeCountLimit",
    "linkAttributeCountLimit",
  ],
  metrics: ["exportIntervalMs", "exportTimeoutMs", "temporality"],
};

/**
 * Reports every unknown option key (with "did you mean") and every section that is not an object,
 * as in protoc-gen-es's `parseOptions`. Values of unknown keys are shown redacted: they may be
 * misspelled secrets. Returns whether the options' shape is sound. Never throws.
 */
export function checkOptionKeys(options: unknown, problems: OptionProblems): boolean {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    problems.add("options", options, "must be an object", 'options={ serviceName: "api-server" }');
    return false;
  }
  let sound = problems.unknownKeys(options, topLevelKeys, "", exampleOf, clientOptionKeys);
  for (const [section, known] of Object.entries(sectionKeys)) {
    const value: unknown = (options as Record<string, unknown>)[section];
    if (value === undefined) continue;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.add(section, value, "must be an object", `${section}={ ${known[0] ?? ""}: … }`, { secret: true });
      sound = false;
    } else {
      sound = problems.unknownKeys(value, known, `${section}.`, exampleOf) && sound;
    }
  }
  return sound;
}

/** `key=<example>` from the env table when `key` has a variable, else `key=…`. */
function exampleOf(key: string): string {
  const variable = Object.values(telemetryConfigEnv).find((candidate) => candidate.option === key);
  return `${key}=${variable === undefined || variable.secret ? "…" : variable.example}`;
}
