// Each rule's heuristics on small sources: one file per behaviour, checked in one project.
import { beforeAll, describe, expect, it } from "vitest";
import type { CheckReport } from "../../runtime/check/check-report.js";
import { checkSources } from "../../runtime/check/check-project.js";
import { eventNamePattern, reservedNames } from "../../runtime/check/rules/unknown-event-name.js";
import { isSecretName } from "../../runtime/check/rules/secret-in-log.js";

const sources: Record<string, string> = {
  // receivers
  "receiver-this.ts": 'class S { run() { this.deps.telemetry?.log.info("x", { jobId: 1 }); } }',
  "receiver-destructured.ts": 'const { log: logger, trace: tracing } = telemetry;\nlogger.info("x", { jobId: 1 });\ntracing.event("Bad Name");',
  "receiver-grandchild.ts": 'const a = telemetry.log.child({});\nconst b = a.child({});\nb.info("x", { jobId: 1 });',
  "receiver-this-property.ts": 'class W { log2 = telemetry.log.child({}); run() { this.log2.warn("x", { jobId: 1 }); } }',
  "receiver-foreign.ts": 'console.log({ jobId: 1, apiKey: k });\npino.info({ jobId: 1 });\njob.process(x, async () => 1);\nqueue.trace.spanish("X");',
  // names
  "name-const.ts": 'const NAME = "Upload Model";\ntelemetry.trace.span(NAME, () => 1);',
  "name-as-const.ts": 'const names = { load: "model.load" } as const;\ntelemetry.trace.span(names.load, () => 1);',
  "name-plain-template.ts": "telemetry.trace.event(`order.shipped`);",
  "name-param.ts": "export function f(name: string) { telemetry.trace.event(name); }",
  "name-camel.ts": 'telemetry.startup.phase("loadModels", async () => 1).catch(() => 0);',
  "name-event-as-span.ts": 'telemetry.trace.span("job.completed", () => 1);',
  "name-span-as-event.ts": 'telemetry.trace.event("worker.startup");',
  "name-exception-span.ts": 'telemetry.trace.span("exception", () => 1);',
  "name-http-template.ts": "export function h(method: string, route: string) { telemetry.trace.span(`${method} ${route}`, () => 1); }",
  "name-http-variable.ts": [
    "export function h(req: { method?: string; url?: string }) {",
    '  const route = `${req.method ?? ""} ${req.url ?? ""}`;',
    "  telemetry.trace.span(route, () => 1);",
    "}",
  ].join("\n"),
  "name-http-literal.ts": 'telemetry.trace.span("GET /jobs/:id", () => 1);\ntelemetry.trace.span("POST", () => 1);',
  "name-http-lookalike.ts": [
    "export function h(kind: string, route: string) { telemetry.trace.span(`${kind} ${route}`, () => 1); telemetry.trace.event(`${kind} x`); }",
    'telemetry.trace.span("FETCH /x", () => 1);',
  ].join("\n"),
  "name-contract-uses.ts": 'telemetry.trace.event("job.failed");\ntelemetry.trace.span("worker.startup", () => 1);\ntelemetry.trace.event("exception");',
  // aliases
  "alias-computed.ts": 'telemetry.log.info("x", { ["job_id"]: 1, "jobId": 2, [k]: 3, ...rest });',
  "alias-variable.ts": 'const data = { machineId: m };\ntelemetry.log.info("x", data);',
  "alias-event.ts": 'telemetry.trace.event("order.shipped", { worker_id: w });',
  "alias-nested.ts": 'telemetry.log.info("x", { job: { jobId: 1 } });',
  // secrets
  "secret-facts.ts":
    'telemetry.log.info("x", { hasToken: !!t, tokenCount: 3, isSecret: false, tokens: 12, eq: token === x, n: apiKey.length, m: mask(password) });',
  "secret-nested.ts": 'telemetry.log.info("x", { req: { headers: { Authorization: h } } });',
  "secret-through.ts": "telemetry.log.info(`key ${String(cfg.sharedKey)}`, [JSON.stringify(accessToken)]);",
  "secret-child.ts": "telemetry.log.child({ FLUENTD_SHARED_KEY: k });",
  "secret-span.ts": 'telemetry.trace.span("x.y", () => 1, { attributes: { password: p } });',
  "secret-concat.ts": 'telemetry.log.info("auth " + (token ?? "none"));',
  // floating promises
  "float-statement.ts": 'async function f() { telemetry.trace.span("a.b", async () => 1); }',
  "float-then.ts": 'telemetry.trace.span("a.b", async () => 1).then(() => 2);',
  "float-finally-catch.ts": 'telemetry.trace.span("a.b", async () => 1).finally(() => 0).catch(() => 0);',
  "float-then-two.ts": 'telemetry.trace.span("a.b", async () => 1).then(() => 2, () => 3);',
  "float-and.ts": 'ok && telemetry.startup.phase("a", () => 1);',
  "float-conditional.ts": "ok ? telemetry.job.process(j, () => 1) : undefined;",
  "float-passed-on.ts": [
    "async function g() {",
    '  await telemetry.trace.span("a.b", async () => 1);',
    '  const p = telemetry.trace.span("a.b", async () => 1);',
    "  await Promise.all([telemetry.job.process(j, async () => 1)]);",
    '  queue.push(telemetry.startup.phase("a", () => 1));',
    '  void telemetry.trace.span("a.b", async () => 1);',
    '  return telemetry.trace.span("a.b", async () => 1);',
    "}",
    'const h = () => telemetry.trace.span("a.b", async () => 1);',
  ].join("\n"),
  "float-sync.ts": 'telemetry.trace.span("a.b", () => 1);\ntelemetry.trace.span("a.b", (span) => span.end());',
  "float-typed.ts": 'function load(): Promise<number> { return Promise.resolve(1); }\ntelemetry.trace.span("a.b", load);',
  "float-any.ts": 'telemetry.trace.span("a.b", () => untyped());',
};

const found = (report: CheckReport, file: string): string[] =>
  report.findings.filter((f) => f.file === file).map((f) => `${f.line}:${f.column} ${f.rule} ${f.severity}`);
/** `line:column` (1-based) of the first `needle` in a source. */
const at = (file: string, needle: string): string => {
  const text = sources[file]!;
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`${needle} not in ${file}`);
  const before = text.slice(0, index).split("\n");
  return `${before.length}:${before.at(-1)!.length + 1}`;
};

describe("the rules", () => {
  let report: CheckReport;
  beforeAll(async () => {
    report = await checkSources(new Map(Object.entries(sources)));
  });

  describe("receiver detection", () => {
    it("follows this.* and optional chains ending in .log", () =>
      expect(found(report, "receiver-this.ts")).toEqual([`${at("receiver-this.ts", "jobId")} alias-key error`]));
    it("follows facades destructured under another name", () =>
      expect(found(report, "receiver-destructured.ts")).toEqual([
        `${at("receiver-destructured.ts", "jobId")} alias-key error`,
        `${at("receiver-destructured.ts", '"Bad Name"')} unknown-event-name error`,
      ]));
    it("follows children of child loggers", () =>
      expect(found(report, "receiver-grandchild.ts")).toEqual([`${at("receiver-grandchild.ts", "jobId")} alias-key error`]));
    it("follows class properties holding a child logger", () =>
      expect(found(report, "receiver-this-property.ts")).toEqual([`${at("receiver-this-property.ts", "jobId")} alias-key error`]));
    it("ignores console, other loggers, a bare `job` and other methods", () => expect(found(report, "receiver-foreign.ts")).toEqual([]));
  });

  describe("unknown-event-name", () => {
    it("resolves a const to its literal", () => expect(found(report, "name-const.ts")).toEqual([`${at("name-const.ts", "NAME,")} unknown-event-name error`]));
    it("resolves an `as const` table entry to its literal", () => expect(found(report, "name-as-const.ts")).toEqual([]));
    it("takes a template without substitutions as a literal", () => expect(found(report, "name-plain-template.ts")).toEqual([]));
    it("warns on a name only known at run time", () =>
      expect(found(report, "name-param.ts")).toEqual([`${at("name-param.ts", "name)")} unknown-event-name warning`]));
    it("checks startup phase names and suggests snake_case", () => {
      expect(found(report, "name-camel.ts")).toEqual([`${at("name-camel.ts", '"loadModels"')} unknown-event-name error`]);
      expect(report.findings.find((f) => f.file === "name-camel.ts")?.suggestion).toBe("use `load_models`");
    });
    it("rejects a contract event name used as a span name", () =>
      expect(found(report, "name-event-as-span.ts")).toEqual([`${at("name-event-as-span.ts", '"job.completed"')} unknown-event-name error`]));
    it("rejects a contract span name used as an event name", () =>
      expect(found(report, "name-span-as-event.ts")).toEqual([`${at("name-span-as-event.ts", '"worker.startup"')} unknown-event-name error`]));
    it("rejects `exception` as a span name", () =>
      expect(found(report, "name-exception-span.ts")).toEqual([`${at("name-exception-span.ts", '"exception"')} unknown-event-name error`]));
    it("accepts an HTTP span named `${method} ${route}` as OpenTelemetry names it, at the call or through a variable", () => {
      expect(found(report, "name-http-template.ts")).toEqual([]);
      expect(found(report, "name-http-variable.ts")).toEqual([]);
      expect(found(report, "name-http-literal.ts")).toEqual([]);
    });
    it("still warns on other templates, events and non-methods", () =>
      expect(found(report, "name-http-lookalike.ts").map((f) => f.split(" ").slice(1).join(" "))).toEqual([
        "unknown-event-name warning",
        "unknown-event-name warning",
        "unknown-event-name error",
      ]));
    it("accepts the contract's own names used as the contract uses them", () => expect(found(report, "name-contract-uses.ts")).toEqual([]));
    it("reads the reserved names from the contract's enums", () => {
      const r = reservedNames();
      expect([...r.spans]).toEqual(["job.process", "api.startup", "webhook.startup", "machine.startup", "worker.startup"]);
      expect([...r.events]).toEqual(["job.received", "job.claimed", "job.started", "job.progress", "job.completed", "job.failed", "exception"]);
      for (const n of [...r.spans, ...r.events]) expect(n).toMatch(eventNamePattern);
    });
  });

  describe("alias-key", () => {
    it("reads quoted and literal computed keys, skipping dynamic keys and spreads", () =>
      expect(found(report, "alias-computed.ts")).toEqual([
        `${at("alias-computed.ts", '"job_id"')} alias-key error`,
        `${at("alias-computed.ts", '"jobId"')} alias-key error`,
      ]));
    it("follows a same-file object variable", () =>
      expect(found(report, "alias-variable.ts")).toEqual([`${at("alias-variable.ts", "machineId")} alias-key error`]));
    it("checks event attributes", () => expect(found(report, "alias-event.ts")).toEqual([`${at("alias-event.ts", "worker_id")} alias-key error`]));
    it("reads top-level keys only", () => expect(found(report, "alias-nested.ts")).toEqual([]));
  });

  describe("secret-in-log", () => {
    it("ignores facts about secrets: has*/is* keys, lengths, comparisons, masks", () => expect(found(report, "secret-facts.ts")).toEqual([]));
    it("finds secret keys nested in the data", () =>
      expect(found(report, "secret-nested.ts")).toEqual([`${at("secret-nested.ts", "Authorization")} secret-in-log error`]));
    it("follows String() and JSON.stringify into the message and data", () =>
      expect(found(report, "secret-through.ts")).toEqual([
        `${at("secret-through.ts", "sharedKey")} secret-in-log error`,
        `${at("secret-through.ts", "accessToken")} secret-in-log error`,
      ]));
    it("checks child bindings", () => expect(found(report, "secret-child.ts")).toEqual([`${at("secret-child.ts", "FLUENTD_SHARED_KEY")} secret-in-log error`]));
    it("checks span attributes", () => expect(found(report, "secret-span.ts")).toEqual([`${at("secret-span.ts", "password")} secret-in-log error`]));
    it("follows string concatenation and ??", () =>
      expect(found(report, "secret-concat.ts")).toEqual([`${at("secret-concat.ts", "token")} secret-in-log error`]));
    it("matches names by their ending, any case and separator", () => {
      for (const n of [
        "apiKey",
        "api_key",
        "DASH0_API_KEY",
        "DASH0_AUTH_TOKEN",
        "token",
        "password",
        "clientSecret",
        "Authorization",
        "sharedKey",
        "FLUENTD_SHARED_KEY",
      ])
        expect([n, isSecretName(n)]).toEqual([n, true]);
      for (const n of ["tokens", "tokenCount", "hasToken", "isSecret", "secretName", "keyId", "passwordPolicy"])
        expect([n, isSecretName(n)]).toEqual([n, false]);
    });
  });

  describe("unawaited-span", () => {
    it("reports an async span whose promise is a bare statement", () =>
      expect(found(report, "float-statement.ts")).toEqual([`${at("float-statement.ts", "telemetry")} unawaited-span error`]));
    it("follows .then chains without a rejection handler", () => expect(found(report, "float-then.ts")).toEqual(["1:1 unawaited-span error"]));
    it("accepts chains ending in .catch or a two-argument .then", () => {
      expect(found(report, "float-finally-catch.ts")).toEqual([]);
      expect(found(report, "float-then-two.ts")).toEqual([]);
    });
    it("follows && and ?: (startup.phase and job.process always return a promise)", () => {
      expect(found(report, "float-and.ts")).toEqual([`${at("float-and.ts", "telemetry")} unawaited-span error`]);
      expect(found(report, "float-conditional.ts")).toEqual([`${at("float-conditional.ts", "telemetry")} unawaited-span error`]);
    });
    it("accepts awaited, assigned, passed, void and returned promises", () => expect(found(report, "float-passed-on.ts")).toEqual([]));
    it("ignores spans with synchronous callbacks", () => expect(found(report, "float-sync.ts")).toEqual([]));
    it("uses the callback's declared return type", () =>
      expect(found(report, "float-typed.ts")).toEqual([`${at("float-typed.ts", "telemetry")} unawaited-span error`]));
    it("gives callbacks of unknown type the benefit of the doubt", () => expect(found(report, "float-any.ts")).toEqual([]));
  });
});
