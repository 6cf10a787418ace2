import { spawn } from "node:child_process";
import { type Collector, startCollector } from "../collector/collector.js";
import type { ReceivedRecord } from "../collector/collector-records.js";
import { readableViolation } from "../collector/readable-violation.js";
import { contractAliasTable } from "../check/alias-table.js";
import { groupFindings, type ContractFinding, type FindingGroup } from "./contract-findings.js";
import { contractKeySet, keyProblem } from "./contract-keys.js";

export type { ContractFinding, FindingGroup };

/** Counts of one service. */
export interface ServiceSummary {
  readonly service: string;
  readonly serviceType: string;
  readonly logs: number;
  readonly spans: number;
  readonly findings: number;
}

/** Result of {@link runContractTest}. */
export interface ContractTestReport {
  readonly ok: boolean;
  /** Exit code of the command; null when it was killed at the deadline. */
  readonly commandExitCode: number | null;
  readonly records: number;
  readonly services: readonly ServiceSummary[];
  readonly findings: readonly ContractFinding[];
  /** The findings grouped by rule and key, most frequent first (see {@link groupFindings}). */
  readonly groups: readonly FindingGroup[];
}

/** Options of {@link runContractTest}. */
export interface ContractTestOptions {
  /** The command to run, with its arguments. */
  readonly command: readonly string[];
  /** Longest the command may run, in ms. Default 120 000. */
  readonly timeoutMs?: number;
  /** Extra environment for the command. */
  readonly env?: Readonly<Record<string, string>>;
  /** Where the command's output goes. Default: inherited. */
  readonly stdio?: "inherit" | "ignore";
}

const requiredByType: Readonly<Record<string, readonly string[]>> = {
  machine: ["emp.machine.id"],
  worker: ["emp.machine.id", "emp.worker.id"],
};

const structuralKeys = new Set(["timestamp", "level", "message", "trace_id", "span_id", "parent_span_id", "trace_flags", "time", "tag"]);

/** The keys of a record a service chose: Fluentd record keys, or OTLP attributes, resource and event attributes. */
function keysOf(r: ReceivedRecord): string[] {
  const rec = r.record as Record<string, unknown>;
  if (r.source === "forward" || r.source === "http") return Object.keys(rec).filter((k) => !structuralKeys.has(k));
  const keys: string[] = [];
  for (const bag of ["attributes", "resource"]) if (rec[bag] !== null && typeof rec[bag] === "object") keys.push(...Object.keys(rec[bag] as object));
  if (Array.isArray(rec.events)) for (const e of rec.events as { attributes?: object }[]) keys.push(...Object.keys(e.attributes ?? {}));
  return keys;
}

function field(r: ReceivedRecord, key: string): unknown {
  const rec = r.record as Record<string, unknown>;
  if (key in rec) return rec[key];
  const resource = rec.resource as Record<string, unknown> | undefined;
  return resource?.[key];
}

function traceIdOf(r: ReceivedRecord): string | undefined {
  const rec = r.record as Record<string, unknown>;
  const id = rec.trace_id ?? rec.traceId;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** Checks every record a run produced against the contract and the rules of a well-behaved service. */
export function checkRecords(records: readonly ReceivedRecord[]): { findings: ContractFinding[]; services: ServiceSummary[] } {
  const known = contractKeySet();
  const aliases = contractAliasTable();
  const findings: ContractFinding[] = [];
  const add = (r: ReceivedRecord, rule: ContractFinding["rule"], key: string, message: string): void =>
    void findings.push({ service: r.service, rule, key, message, signal: r.signal, seq: r.seq });
  const spanTraces = new Set(
    records
      .filter((r) => r.signal === "spans")
      .map(traceIdOf)
      .filter((x): x is string => x !== undefined),
  );
  for (const r of records) {
    for (const v of r.violations) add(r, "schema", v.key ?? v.path, readableViolation(v));
    const type = String(field(r, "emp.service.type") ?? "");
    if (r.service === "unknown" || type === "")
      add(r, "attribution", "service.name", "the record does not name its service (service.name and emp.service.type)");
    for (const key of requiredByType[type] ?? [])
      if (field(r, key) === undefined || field(r, key) === "") add(r, "required-key", key, `${type} records need \`${key}\``);
    const traceId = traceIdOf(r);
    if (r.signal === "logs" && traceId !== undefined && !spanTraces.has(traceId))
      add(r, "correlation", "trace_id", `log names trace ${traceId}, but no span of that trace arrived`);
    for (const key of new Set(keysOf(r))) {
      const problem = keyProblem(key, known, aliases);
      if (problem !== undefined) add(r, problem.rule, key, problem.message);
    }
  }
  const services = [...new Set(records.map((r) => r.service))].sort().map((service) => {
    const own = records.filter((r) => r.service === service);
    return {
      service,
      serviceType: String(own.map((r) => field(r, "emp.service.type")).find((t) => t !== undefined) ?? ""),
      logs: own.filter((r) => r.signal === "logs").length,
      spans: own.filter((r) => r.signal === "spans").length,
      findings: findings.filter((f) => f.service === service).length,
    };
  });
  return { findings, services };
}

function runCommand(options: ContractTestOptions, env: NodeJS.ProcessEnv): Promise<number | null> {
  const [cmd, ...args] = options.command;
  if (cmd === undefined) return Promise.resolve(2);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: options.stdio ?? "inherit" });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.once("error", () => {
      clearTimeout(timer);
      resolve(127);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/**
 * The contract test a service runs in its own CI: starts the local collector on free ports, points
 * the command at it through the environment (FLUENTD_HOST/PORT, OTEL_EXPORTER_OTLP_ENDPOINT and the
 * logs endpoint, TELEMETRY_ENV), runs it, and checks every record received on every wire: schema
 * validation, service attribution, required keys per service type, trace/log correlation, and no keys
 * outside the contract's namespaces. Never throws for a failing service; the report says why.
 */
export async function runContractTest(options: ContractTestOptions): Promise<ContractTestReport> {
  const collector: Collector = await startCollector({ forwardPort: 0, httpPort: 0, otlpHttpPort: 0, otlpGrpcPort: 0, dash0Port: 0, statusPort: 0 });
  const records: ReceivedRecord[] = [];
  const stop = collector.onRecord((r) => records.push(r));
  try {
    const p = collector.ports;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TELEMETRY_ENV: process.env.TELEMETRY_ENV ?? "contract-test",
      FLUENTD_HOST: "127.0.0.1",
      FLUENTD_PORT: String(p.forward),
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${p.otlpHttp}`,
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `http://127.0.0.1:${p.otlpHttp}/v1/logs`,
      EMP_COLLECTOR_STATUS_URL: `http://127.0.0.1:${p.status}`,
      ...options.env,
    };
    const commandExitCode = await runCommand(options, env);
    await collector.flush();
    const { findings, services } = checkRecords(records);
    const ok = commandExitCode === 0 && findings.length === 0 && records.length > 0;
    return { ok, commandExitCode, records: records.length, services, findings, groups: groupFindings(findings) };
  } finally {
    stop();
    await collector.close();
  }
}

/**
 * The report as text: a per-service summary, then the findings grouped by rule and key, each group
 * with its count, the services and signals it came from and one readable message.
 */
export function formatContractTestReport(report: ContractTestReport): string {
  const lines = [`contract test: ${report.ok ? "passed" : "FAILED"} (${report.records} records, command exit ${String(report.commandExitCode)})`, ""];
  lines.push("service              type      logs  spans  findings");
  for (const s of report.services)
    lines.push(
      `${s.service.padEnd(20)} ${s.serviceType.padEnd(8)} ${String(s.logs).padStart(5)} ${String(s.spans).padStart(6)} ${String(s.findings).padStart(9)}`,
    );
  if (report.records === 0) lines.push("", "no record arrived: is the command using @emp/telemetry with the environment it was given?");
  if (report.groups.length > 0) lines.push("", `${report.findings.length} findings for ${report.groups.length} keys:`);
  const shown = report.groups.slice(0, 50);
  for (const g of shown) {
    const where = g.services.map(
      (s) =>
        `${s.service} ${Object.entries(s.signals)
          .map(([signal, n]) => `${signal} ${String(n)}`)
          .join(", ")}`,
    );
    lines.push(`  ${`×${String(g.count)}`.padStart(6)}  [${g.rule}] ${g.message}`, `          in ${where.join("; ")} (first: ${g.first})`);
  }
  if (report.groups.length > shown.length) lines.push(`  … and ${report.groups.length - shown.length} more keys (--json lists every finding)`);
  return `${lines.join("\n")}\n`;
}
