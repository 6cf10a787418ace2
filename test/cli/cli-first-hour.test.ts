// The CLI as a new user meets it, run from the built executable (dist/runtime/cli/main.js):
// --version, a misspelled command, every command's options in its help, doctor without a service
// identity, readable argument errors prefixed with the command, the "accepted only" legend, and
// fluent-bit-config's one-shot output.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliCommands } from "../../runtime/cli/commands.js";
import { packageVersion } from "../../runtime/package/package-version.js";
import { runBuiltCli } from "../helpers/built-cli.js";
import { type ForwardReceiver, startForwardReceiver } from "../helpers/forward-receiver.js";

describe("emp-telemetry (built)", () => {
  it("prints its version on --version and -v", async () => {
    for (const flag of ["--version", "-v"]) {
      const r = await runBuiltCli([flag]);
      expect(r).toEqual({ code: 0, stdout: `emp-telemetry ${packageVersion}\n`, stderr: "" });
    }
  });

  it("names the command a misspelling was meant to be", async () => {
    const r = await runBuiltCli(["docter"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe('emp-telemetry: unknown command "docter"; did you mean `emp-telemetry doctor`?');
    const far = await runBuiltCli(["deploy"]);
    expect(far.stderr.split("\n")[0]).toBe('emp-telemetry: unknown command "deploy"');
  });

  it("lists every option of every command in its help", async () => {
    for (const c of cliCommands) {
      const r = await runBuiltCli([c.name, "--help"]);
      expect(r.code, c.name).toBe(0);
      const [synopsis, options] = [r.stdout.split("\n\n")[0] ?? "", r.stdout.slice(r.stdout.indexOf("\noptions:\n"))];
      expect(r.stdout, c.name).toContain("\noptions:\n");
      expect(options, c.name).toMatch(/^ {2}-h, --help +\S/m);
      for (const flag of synopsis.match(/--[a-z0-9-]+/g) ?? []) expect(options, `${c.name} ${flag}`).toMatch(new RegExp(`^ {2}(-\\w, )?${flag}\\b`, "m"));
    }
  }, 120_000);

  it("answers a bad argument in words, prefixed with the command, never with parseArgs' text", async () => {
    const cases: [string[], string][] = [
      [["contract", "--json"], "emp-telemetry contract: unknown option --json; this command takes no options besides --help"],
      [["validate", "--jsn", "x.ndjson"], "emp-telemetry validate: unknown option --jsn; did you mean --json?"],
      [["validate", "--format"], "emp-telemetry validate: --format needs a value"],
      [["dev", "--json=yes"], "emp-telemetry dev: --json takes no value"],
      [["contract-test", "--timeout-ms", "soon", "--", "true"], 'emp-telemetry contract-test: --timeout-ms must be a positive integer, got "soon"'],
      [["contract-test"], "emp-telemetry contract-test: give the command to run after --"],
      [["fluent-bit-config"], "emp-telemetry fluent-bit-config: missing <file-or-glob>"],
      [["check"], "emp-telemetry check: missing <dir>"],
      [["check", "--jsn", "."], "emp-telemetry check: unknown option --jsn; options: --json, --help"],
      [["fluentd-config", "extra"], "emp-telemetry fluentd-config: unexpected argument extra"],
    ];
    for (const [argv, first] of cases) {
      const r = await runBuiltCli(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr.split("\n")[0], argv.join(" ")).toBe(first);
      expect(r.stderr).not.toMatch(/To specify a positional|argument missing|ERR_PARSE_ARGS/);
    }
    for (const c of cliCommands) {
      const r = await runBuiltCli([c.name, "--no-such-option"]);
      expect(r.stderr, c.name).toMatch(new RegExp(`^emp-telemetry ${c.name}: unknown option --no-such-option`));
    }
    const config = await runBuiltCli(["collector-config", "--grpc-port", "0"]);
    expect(config.stderr).toMatch(/^emp-telemetry collector-config: /);
  }, 120_000);

  describe("contract-test and check on the README's client example", () => {
    const fixture = ["--", process.execPath, "--import", "tsx"];
    it("passes it, and groups a careless service's findings by key, in words", async () => {
      const passed = await runBuiltCli(["contract-test", ...fixture, "test/fixtures/contract-test/readme-service.ts"], { SERVICE_NAME: "readme-api" }, 60_000);
      expect(passed.stdout.split("\n")[0], passed.stdout + passed.stderr).toMatch(/^contract test: passed \(\d+ records, command exit 0\)$/);
      expect(passed.code).toBe(0);
      const failed = await runBuiltCli(["contract-test", ...fixture, "test/fixtures/contract-test/careless-service.ts"], {}, 60_000);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/^\d+ findings for \d+ keys:$/m);
      expect(failed.stdout).toMatch(/^ +×1 +\[alias-key\] `jobId` spells the contract key `emp\.job\.id` another way: use `emp\.job\.id`$/m);
      expect(failed.stdout).not.toMatch(/value must|value is required|list \[0\]/);
    }, 120_000);

    it("finds no warning in the examples: an HTTP span named `${method} ${route}` is OpenTelemetry's name", async () => {
      const r = await runBuiltCli(["check", "examples"], {}, 60_000);
      expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/^✓ 0 errors, 0 warnings in \d+ files$/);
      expect(r.code).toBe(0);
    }, 60_000);
  });

  describe("doctor", () => {
    let fluentd: ForwardReceiver;
    beforeAll(async () => {
      fluentd = await startForwardReceiver();
    });
    afterAll(() => fluentd.close());

    it("runs without a service identity and explains `accepted only`", async () => {
      const r = await runBuiltCli(["doctor", "--timeout-ms", "3000"], { FLUENTD_HOST: "127.0.0.1", FLUENTD_PORT: String(fluentd.port) });
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(/^fluentd +ack +accepted only/m);
      expect(r.stdout).toContain("\naccepted only: the hop took the probe (ack or 2xx) but could not show it went further");
      expect(r.stdout).not.toMatch(/SERVICE_NAME|SERVICE_TYPE|TELEMETRY_ENV/);
      // Fluentd answered; OTLP is not running here, so the check fails for that hop, not for identity.
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^otel +otel +FAILED/m);
    });

    it("still names a bad identity the user did set", async () => {
      const r = await runBuiltCli(["doctor"], { SERVICE_TYPE: "toaster" });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^emp-telemetry doctor: invalid telemetry configuration/);
      expect(r.stderr).toContain('SERVICE_TYPE="toaster"');
    });
  });

  describe("fluent-bit-config", () => {
    it("prints a one-shot config without the client's do-not-edit header, a glob tagged by its directory", async () => {
      const r = await runBuiltCli(["fluent-bit-config", "--state-dir", "/tmp/emp-fb-state", "/workspace/logs/*.log"], { FLUENTD_HOST: "127.0.0.1" });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toContain("Do not edit");
      expect(r.stdout).toMatch(/^# Generated by @emp\/telemetry \(emp-telemetry fluent-bit-config\)\. Run the command again/m);
      expect(r.stdout).toMatch(/tag: emp\.file\.logs$/m);
      expect(r.stdout).not.toContain("emp.file._");
    });
  });
});
