import { suggestEnvName } from "./did-you-mean.js";
import { knownEnvNames } from "./env-table.js";
import { isOtelStandardEnvName, otelStandardEnvNames, otelStandardEnvPrefixes } from "./otel-standard-env.js";
import type { ConfigWarning } from "./telemetry-config.js";

/** Why a standard OTel variable (or family) has no effect here, by name prefix; the first match wins. */
const reasons: ReadonlyArray<readonly [prefix: string, reason: string]> = [
  ["OTEL_BSP_", "our sinks batch and bound their queues by bytes: maxQueueBytes, maxSpanQueueBytes"],
  ["OTEL_BLRP_", "our sinks batch and bound their queues by bytes: maxQueueBytes"],
  ["OTEL_PROPAGATORS", "W3C tracecontext and baggage are always propagated"],
  ["OTEL_LOGRECORD_", "log entries have their own per-call limits"],
  ["OTEL_SPAN_ATTRIBUTE_PER_", "use OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT / OTEL_LINK_ATTRIBUTE_COUNT_LIMIT"],
  ["OTEL_EXPORTER_ZIPKIN_", "we export over OTLP only"],
  ["OTEL_EXPORTER_JAEGER_", "we export over OTLP only"],
  ["OTEL_EXPORTER_PROMETHEUS_", "we export over OTLP only"],
  ["OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION", "our histograms have their own buckets"],
  ["OTEL_METRICS_EXEMPLAR_FILTER", "our metrics carry no exemplars"],
  ["OTEL_CONFIG_FILE", "configuration comes from options and the variables in the table"],
  ["OTEL_EXPERIMENTAL_", "configuration comes from options and the variables in the table"],
];

function reasonOf(name: string): string {
  if (/_CLIENT_(KEY|CERTIFICATE)$/.test(name)) return "no client certificates (mTLS); OTEL_EXPORTER_OTLP_CERTIFICATE sets the CA";
  return reasons.find(([prefix]) => name.startsWith(prefix))?.[1] ?? "other OpenTelemetry packages in the process may read it";
}

/**
 * One warning per `OTEL_*` variable set that @emp/telemetry does not honour, naming it and saying
 * why: a standard one (OTel spec or a language SDK) we do not read, or an unknown one that is no
 * typo of ours (typos get "did you mean" from {@link findMisspelledEnvNames}). Never silence. Sorted by
 * name; never throws.
 */
export function findUnhonouredOtelNames(env: Readonly<Record<string, string | undefined>>): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith("OTEL_") || env[name] === undefined || env[name]?.trim() === "" || knownEnvNames.has(name)) continue;
    if (isOtelStandardEnvName(name)) {
      warnings.push({ key: name, message: `${name} is not honoured by @emp/telemetry (${reasonOf(name)}); it has no effect on it` });
    } else if (suggestEnvName(name) === undefined) {
      warnings.push({ key: name, message: `${name} is not read by @emp/telemetry and is no standard OpenTelemetry variable; it has no effect on it` });
    }
  }
  return warnings;
}

/**
 * The standard `OTEL_*` variables and families we do not honour, with why, as GitHub markdown for the
 * README (each gets one warning when set). Pure; never throws.
 */
export function renderUnhonouredOtelTable(): string {
  const names = [...otelStandardEnvNames].filter((name) => !knownEnvNames.has(name)).sort();
  const families = otelStandardEnvPrefixes.map((prefix) => `${prefix}*`);
  const lines = ["| variable (warned, not honoured) | why |", "| --- | --- |"];
  for (const name of [...names, ...families]) lines.push(`| \`${name}\` | ${reasonOf(name)} |`);
  return `${lines.join("\n")}\n`;
}
