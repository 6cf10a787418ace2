import { otlpEnvName } from "./env-row.js";
import { createCertificateReader } from "./otlp-certificate.js";
import { otlpSignalUrl, type OtlpProtocol, type OtlpSignal } from "./otlp-endpoints.js";
import {
  type OtlpEndpointValue,
  parseExporterSwitch,
  parseFilePath,
  parseMilliseconds,
  parseOtlpBaseEndpoint,
  parseOtlpEndpoint,
  parseOtlpProtocol,
} from "./parse-otel-values.js";
import { parseBoolean, parseCompression, parseOtlpHeaders, parseToken } from "./parse-values.js";
import { type Setting, type SettingReader, settingValue } from "./read-setting.js";
import { type ConfigHeaders, Secret } from "./secret.js";
import type { ServiceTypeDefaults } from "./service-defaults.js";
import type { ConfigWarning, Dash0Config, OtlpConfig, OtlpSignalSettings, TelemetryConfigOptions } from "./telemetry-config.js";

type OtlpOptions = NonNullable<TelemetryConfigOptions["otlp"]>;
type Dash0Options = NonNullable<TelemetryConfigOptions["dash0"]>;

const signals: readonly OtlpSignal[] = ["traces", "logs", "metrics"];

/** OTel's default deadline of one export (`OTEL_EXPORTER_OTLP_TIMEOUT`), in ms. */
export const defaultOtlpTimeoutMs = 10_000;

/** OTel's default gRPC port: with `grpc` and no endpoint, `http://localhost:4317` (the JS SDK's default) instead of `:4318`. */
const grpcDefaultPort = "4317";

interface SignalSettings {
  readonly endpoint: Setting<OtlpEndpointValue>;
  readonly protocol: Setting<OtlpProtocol>;
  readonly timeoutMs: Setting<number>;
  readonly headers: Setting<Readonly<Record<string, string>>>;
  readonly gzip: Setting<boolean>;
  readonly certificateFile: Setting<string>;
  readonly insecure: Setting<boolean>;
}

/** Where one signal's endpoint came from. */
interface EndpointSource {
  readonly value: OtlpEndpointValue;
  /** The variable or option that gave it. */
  readonly key: string;
  /** A signal endpoint (used as is) rather than a base (gets `/v1/<signal>` for HTTP). */
  readonly asIs: boolean;
}

/** What decides the routing: set by the variables and options read. */
export interface OtlpRouting {
  /** `OTEL_SDK_DISABLED`: nothing is exported and no file is read. */
  readonly disabled: boolean;
  /** Whether the Fluentd sink is on (logs go over OTLP by default when it is not). */
  readonly fluentdOn: boolean;
}

/** The OTLP and Dash0 settings read, before the routing is known. */
export interface OtlpSettings {
  /** Whether an OTLP endpoint or protocol was configured (a collector's, or Dash0's with its key). */
  readonly explicit: boolean;
  /** The resolved OTLP and Dash0 configuration for this routing. */
  build(routing: OtlpRouting): { readonly otlp: OtlpConfig; readonly dash0: Dash0Config };
}

/**
 * Reads every OTLP variable (`OTEL_EXPORTER_OTLP_[SIGNAL_]*`, the exporter switches, `OTEL_ENABLED`)
 * and the Dash0 ones, reporting problems and warnings to `reader`/`warnings`; {@link OtlpSettings.build}
 * then resolves each signal: endpoint (signal URL as is; base + `/v1/<signal>` for HTTP, as is for
 * gRPC; Dash0's when no collector endpoint is set; else `localhost:4318`, `:4317` for gRPC), protocol
 * (signal's, then every signal's, then what a legacy endpoint says: `host:port` or `:4317` → gRPC,
 * `…/json` → `http/json`), deadline, headers, compression and CA. Never throws.
 */
export function readOtlpSettings(
  reader: SettingReader,
  warnings: ConfigWarning[],
  o: OtlpOptions,
  d: Dash0Options,
  defaults: ServiceTypeDefaults,
): OtlpSettings {
  const read = (signal: OtlpSignal | undefined): SignalSettings => {
    const key = (name: string): unknown =>
      (o as Record<string, unknown>)[signal === undefined ? name : `${signal}${name.charAt(0).toUpperCase()}${name.slice(1)}`];
    return {
      endpoint: reader.read(otlpEnvName(signal, "ENDPOINT"), key("endpoint"), signal === undefined ? parseOtlpBaseEndpoint : parseOtlpEndpoint),
      protocol: reader.read(otlpEnvName(signal, "PROTOCOL"), key("protocol"), parseOtlpProtocol),
      timeoutMs: reader.read(otlpEnvName(signal, "TIMEOUT"), key("timeoutMs"), parseMilliseconds),
      headers: reader.read(otlpEnvName(signal, "HEADERS"), key("headers"), parseOtlpHeaders),
      gzip: reader.read(otlpEnvName(signal, "COMPRESSION"), key("gzip"), parseCompression),
      certificateFile: reader.read(otlpEnvName(signal, "CERTIFICATE"), key("certificateFile"), parseFilePath),
      insecure: reader.read(otlpEnvName(signal, "INSECURE"), key("insecure"), parseBoolean),
    };
  };
  const enabled = settingValue(reader.read("OTEL_ENABLED", o.enabled, parseBoolean));
  const base = read(undefined);
  const perSignal = { traces: read("traces"), logs: read("logs"), metrics: read("metrics") };
  const switches = {
    traces: settingValue(reader.read("OTEL_TRACES_EXPORTER", o.traces, parseExporterSwitch)),
    logs: settingValue(reader.read("OTEL_LOGS_EXPORTER", o.logs, parseExporterSwitch)),
    metrics: settingValue(reader.read("OTEL_METRICS_EXPORTER", o.metrics, parseExporterSwitch)),
  };
  const dash0 = readDash0(reader, warnings, d);
  const collectorEndpoints = [base.endpoint, ...signals.map((s) => perSignal[s].endpoint)].filter((s) => s.status !== "unset");
  const protocolSet = [base.protocol, ...signals.map((s) => perSignal[s].protocol)].some((s) => s.status !== "unset");
  const dash0Target = collectorEndpoints.length === 0 && dash0.configured && dash0.key !== undefined;
  if (collectorEndpoints.length > 0) {
    for (const key of dash0.endpointKeys) {
      warnings.push({
        key,
        message: `${key} is not used: ${collectorEndpoints[0]?.status === "set" ? collectorEndpoints[0].key : "an OTLP endpoint"} sets the OTLP target`,
      });
    }
  }

  const sourceOf = (signal: OtlpSignal): EndpointSource | undefined => {
    if (dash0Target) return dash0.source(signal);
    const own = perSignal[signal].endpoint;
    if (own.status === "set") return { value: own.value, key: own.key, asIs: true };
    return base.endpoint.status === "set" ? { value: base.endpoint.value, key: base.endpoint.key, asIs: false } : undefined;
  };

  return {
    explicit: collectorEndpoints.length > 0 || protocolSet || dash0Target,
    build(routing) {
      const readCertificate = createCertificateReader(reader);
      const warned = new Set<string>();
      const insecureUsed = new Set<string>();
      const baseHeaders = headersWithDash0(
        reader,
        settingValue(base.headers) ?? {},
        dash0Target ? dash0 : undefined,
        base.headers.status === "set" ? { key: base.headers.key, own: base.headers.value } : undefined,
      );
      const settingsOf = (signal: OtlpSignal): OtlpSignalSettings & { readonly url: string; readonly explicitEndpoint: boolean } => {
        const own = perSignal[signal];
        const source = sourceOf(signal);
        const protocol = settingValue(own.protocol) ?? settingValue(base.protocol) ?? inferredProtocol(source) ?? "http/protobuf";
        const certificate = settingOf(own.certificateFile, base.certificateFile);
        const insecure = settingOf(own.insecure, base.insecure);
        if (insecure !== undefined && source?.value.hostPort === true) insecureUsed.add(insecure.key);
        const url = signalUrl(source, protocol, signal, dash0Target, defaults.otlpEndpoint, insecure?.value);
        if (source !== undefined && !isLegacy(source.key) && protocol !== "grpc" && portOf(url) === grpcDefaultPort && !warned.has(source.key)) {
          warned.add(source.key);
          warnings.push({
            key: source.key,
            message:
              `${source.key} uses port 4317, OTLP/gRPC's, but ${signal} would go over ${protocol}: ` +
              `set ${otlpEnvName(undefined, "PROTOCOL")}=grpc or use port 4318`,
          });
        }
        return {
          url,
          explicitEndpoint: source?.asIs === true,
          protocol,
          timeoutMs: settingValue(own.timeoutMs) ?? settingValue(base.timeoutMs) ?? defaultOtlpTimeoutMs,
          certificate: certificate === undefined || routing.disabled ? undefined : readCertificate(certificate.key, certificate.value),
          headers: headersWithDash0(
            reader,
            mergeHeaders(settingValue(base.headers) ?? {}, settingValue(own.headers) ?? {}),
            dash0Target ? dash0 : undefined,
            own.headers.status === "set" ? { key: own.headers.key, own: own.headers.value } : undefined,
          ),
          gzip: settingValue(own.gzip) ?? settingValue(base.gzip) ?? defaults.otlpGzip,
        };
      };
      const resolved = { traces: settingsOf("traces"), logs: settingsOf("logs"), metrics: settingsOf("metrics") };
      for (const setting of [base.insecure, ...signals.map((s) => perSignal[s].insecure)]) {
        if (setting.status !== "set" || insecureUsed.has(setting.key)) continue;
        warnings.push({ key: setting.key, message: `${setting.key} has no effect: it applies only to a gRPC endpoint given as host:port, without a scheme` });
      }
      const on = !routing.disabled && enabled !== false;
      const logsOn = switches.logs ?? (resolved.logs.explicitEndpoint || !routing.fluentdOn || defaults.otlpLogs);
      const strip = ({ url: _url, explicitEndpoint: _explicit, ...settings }: (typeof resolved)[OtlpSignal]): OtlpSignalSettings => settings;
      return {
        otlp: {
          tracesEndpoint: on && (switches.traces ?? defaults.otlpTraces) ? resolved.traces.url : undefined,
          logsEndpoint: on && logsOn ? resolved.logs.url : undefined,
          metricsEndpoint: on && (switches.metrics ?? true) ? resolved.metrics.url : undefined,
          signals: { traces: strip(resolved.traces), logs: strip(resolved.logs), metrics: strip(resolved.metrics) },
          headers: baseHeaders,
          gzip: settingValue(base.gzip) ?? defaults.otlpGzip,
          target: dash0Target ? "dash0" : "collector",
        },
        dash0: {
          endpoint: dash0.endpointText,
          apiKey: dash0.key === undefined ? undefined : new Secret(dash0.key),
          dataset: dash0.dataset,
        },
      };
    },
  };
}

/** The signal's setting if set, else every signal's, with the key that gave it. */
function settingOf<T>(own: Setting<T>, base: Setting<T>): { value: T; key: string } | undefined {
  if (own.status === "set") return own;
  return base.status === "set" ? base : undefined;
}

/** Whether a variable is one of the deployment's legacy forms (not the OTel spec's), whose protocol its endpoint implies. */
function isLegacy(key: string): boolean {
  return key.startsWith("OTEL_COLLECTOR_") || key.startsWith("DASH0_") || key.startsWith("dash0.");
}

/** The protocol an endpoint implies: `host:port` → gRPC; a legacy URL on `:4317` → gRPC, ending in `/json` → `http/json`. */
function inferredProtocol(source: EndpointSource | undefined): OtlpProtocol | undefined {
  if (source === undefined) return undefined;
  if (source.value.hostPort) return "grpc";
  if (!isLegacy(source.key)) return undefined;
  const url = new URL(source.value.text);
  if (url.port === grpcDefaultPort && (url.pathname === "/" || url.pathname === "")) return "grpc";
  return url.pathname.endsWith("/json") ? "http/json" : undefined;
}

/**
 * The URL one signal is sent to. A `host:port` endpoint (no scheme) gets `http://` when `insecure`, `https://`
 * when not (`OTEL_EXPORTER_OTLP_[SIGNAL_]INSECURE`); unset, a collector is reached in plain text and Dash0 over TLS.
 */
function signalUrl(
  source: EndpointSource | undefined,
  protocol: OtlpProtocol,
  signal: OtlpSignal,
  dash0: boolean,
  defaultBase: string,
  insecure: boolean | undefined,
): string {
  if (source === undefined) {
    if (protocol !== "grpc") return otlpSignalUrl(defaultBase, signal);
    const url = new URL(defaultBase);
    url.port = grpcDefaultPort;
    return url.origin;
  }
  const plainText = insecure ?? !dash0;
  const text = source.value.hostPort ? `${plainText ? "http" : "https"}://${source.value.text}` : source.value.text;
  return source.asIs || protocol === "grpc" ? text : otlpSignalUrl(text, signal);
}

function portOf(url: string): string {
  return new URL(url).port;
}

interface Dash0Settings {
  /** Whether any Dash0 endpoint is set. */
  readonly configured: boolean;
  /** The keys of the Dash0 endpoints that are set. */
  readonly endpointKeys: readonly string[];
  readonly endpointText: string | undefined;
  readonly key: string | undefined;
  readonly dataset: string | undefined;
  /** Where a signal goes when Dash0 is the target. */
  source(signal: OtlpSignal): EndpointSource | undefined;
}

const dash0SignalVariables = { traces: "DASH0_TRACES_ENDPOINT", logs: "DASH0_LOGS_ENDPOINT", metrics: "DASH0_METRICS_ENDPOINT" } as const;

function readDash0(reader: SettingReader, warnings: ConfigWarning[], d: Dash0Options): Dash0Settings {
  const base = reader.read("DASH0_ENDPOINT", d.endpoint, parseOtlpEndpoint);
  const own = {
    traces: reader.read(dash0SignalVariables.traces, d.tracesEndpoint, parseOtlpEndpoint),
    logs: reader.read(dash0SignalVariables.logs, d.logsEndpoint, parseOtlpEndpoint),
    metrics: reader.read(dash0SignalVariables.metrics, d.metricsEndpoint, parseOtlpEndpoint),
  };
  const keySetting = reader.read("DASH0_API_KEY", d.apiKey, parseToken);
  const dataset = settingValue(reader.read("DASH0_DATASET", d.dataset, parseToken));
  const set = [base, own.traces, own.logs, own.metrics].filter((s) => s.status === "set");
  const endpointKeys = set.map((s) => (s.status === "set" ? s.key : ""));
  if (endpointKeys.length > 0 && keySetting.status === "unset") reader.missing("DASH0_API_KEY", `when ${endpointKeys[0] ?? "DASH0_ENDPOINT"} is set`);
  // A signal path in the base variable (`…/v1/metrics`): that signal's endpoint; the others get the base without it.
  let baseValue = settingValue(base);
  let baseSignal: { signal: OtlpSignal; value: OtlpEndpointValue } | undefined;
  if (baseValue !== undefined && !baseValue.hostPort && base.status === "set") {
    const url = new URL(baseValue.text);
    const match = /\/v1\/(traces|logs|metrics)\/?$/.exec(url.pathname);
    if (match !== null) {
      const signal = match[1] as OtlpSignal;
      baseSignal = { signal, value: baseValue };
      url.pathname = url.pathname.slice(0, match.index);
      baseValue = { text: url.href.replace(/\/$/, ""), hostPort: false };
      warnings.push({
        key: base.key,
        message:
          `${base.key} ends in ${match[0]}: used as the ${signal} endpoint; the other signals go to ${baseValue.text}/v1/<signal>. ` +
          `Set ${dash0SignalVariables[signal]} for a signal URL and ${base.key} to the base URL`,
      });
    }
  }
  return {
    configured: set.length > 0,
    endpointKeys,
    endpointText: base.status === "set" ? base.value.text : undefined,
    key: settingValue(keySetting),
    dataset,
    source(signal) {
      const given = own[signal];
      if (given.status === "set") return { value: given.value, key: given.key, asIs: true };
      if (baseSignal?.signal === signal && base.status === "set") return { value: baseSignal.value, key: base.key, asIs: true };
      if (baseValue !== undefined && base.status === "set") return { value: baseValue, key: base.key, asIs: false };
      // Only other signals' Dash0 endpoints: this one goes to the same Dash0 host (its origin as the base), never elsewhere with the key.
      const sibling = signals.map((other) => own[other]).find((setting) => setting.status === "set");
      if (sibling?.status !== "set") return undefined;
      const value = sibling.value.hostPort ? sibling.value : { text: new URL(sibling.value.text).origin, hostPort: false };
      return { value, key: sibling.key, asIs: false };
    },
  };
}

/** `base` with `own` over it, per header name ignoring case (`X-A` in `own` replaces `x-a` in `base`). */
function mergeHeaders(base: Readonly<Record<string, string>>, own: Readonly<Record<string, string>>): Record<string, string> {
  const ownNames = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  return { ...Object.fromEntries(Object.entries(base).filter(([name]) => !ownNames.has(name.toLowerCase()))), ...own };
}

/**
 * `headers` as {@link Secret}s plus, with Dash0 as the target, `Authorization: Bearer <key>` and
 * `Dash0-Dataset`. A header in `check.own` that would clash with those is a problem of `check.key`.
 */
function headersWithDash0(
  reader: SettingReader,
  headers: Readonly<Record<string, string>>,
  dash0: Dash0Settings | undefined,
  check: { readonly key: string; readonly own: Readonly<Record<string, string>> } | undefined,
): ConfigHeaders {
  const result: Record<string, string | Secret> = {};
  for (const [header, value] of Object.entries(headers)) result[header] = new Secret(value);
  if (dash0 === undefined) return result;
  const clash = Object.keys(check?.own ?? {}).find((header) => ["authorization", "dash0-dataset"].includes(header.toLowerCase()));
  if (clash !== undefined && check !== undefined) {
    const example = `${check.key}=x-tenant=emp`;
    reader.problem(check.key, "", true, `sets ${clash}, which Dash0 takes from DASH0_API_KEY / DASH0_DATASET: remove it`, example);
  }
  for (const header of Object.keys(result)) if (["authorization", "dash0-dataset"].includes(header.toLowerCase())) delete result[header];
  result.Authorization = new Secret(`Bearer ${dash0.key ?? ""}`);
  if (dash0.dataset !== undefined) result["Dash0-Dataset"] = dash0.dataset;
  return result;
}
