import type { ConnectivityReport, HopReport } from "../../generated/index.js";

/** Every hop of a connectivity report, in pipeline order, with the check it came from. */
export function hopsOf(report: ConnectivityReport): { check: string; hop: HopReport }[] {
  const out: { check: string; hop: HopReport }[] = [];
  for (const hop of report.fluentd?.steps ?? []) out.push({ check: "fluentd", hop });
  if (report.otel?.hop !== undefined) out.push({ check: "otel", hop: report.otel.hop });
  if (report.dash0?.hop !== undefined) out.push({ check: "dash0", hop: report.dash0.hop });
  for (const hop of report.endToEnd?.hops ?? []) out.push({ check: "end-to-end", hop });
  return out;
}

/**
 * A connectivity report as a table for people: one line per hop with its latency, then what went
 * wrong and what to check for each failing hop. Secrets never reach reports, so none reach this.
 */
export function formatConnectivityReport(report: ConnectivityReport): string {
  const rows = hopsOf(report);
  const width = Math.max(10, ...rows.map((r) => r.hop.hop.length));
  const lines = [`pipeline: ${report.ok ? "OK" : "FAILING"}`, "", `${"check".padEnd(11)} ${"hop".padEnd(width)}  status        latency`];
  for (const { check, hop } of rows) {
    const status = hop.ok ? (hop.acceptedOnly ? "accepted only" : "ok") : "FAILED";
    lines.push(`${check.padEnd(11)} ${hop.hop.padEnd(width)}  ${status.padEnd(13)} ${hop.latencyMs.toFixed(1).padStart(7)} ms`);
  }
  const failing = rows.filter((r) => !r.hop.ok);
  if (failing.length > 0) lines.push("");
  for (const { hop } of failing) {
    lines.push(`${hop.hop}: ${hop.error}`);
    if (hop.remediation !== "") lines.push(`  → ${hop.remediation}`);
  }
  for (const output of report.fluentd?.outputs ?? []) {
    lines.push(`fluentd output ${output.pluginId} (${output.type}): retries ${output.retryCount}, ${output.bufferTotalQueuedSize} bytes buffered`);
  }
  return `${lines.join("\n")}\n`;
}
