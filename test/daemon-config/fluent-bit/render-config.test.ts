// Rendering the Fluent Bit config: golden snippets for both formats, escaping, secrets only as ${ENV}, checks.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { resolveTelemetryConfig } from "../../../runtime/config/resolve-config.js";
import { Secret } from "../../../runtime/config/secret.js";
import { TelemetryConfigError } from "../../../runtime/errors/telemetry-config-error.js";
import {
  fluentBitConfigDefaults,
  resolveFluentBitConfigInput,
  type FluentBitConfigInput,
} from "../../../runtime/daemon-config/fluent-bit/fluent-bit-config-input.js";
import { fluentBitEnvironment, fluentBitTargetFromConfig } from "../../../runtime/daemon-config/fluent-bit/fluent-bit-environment.js";
import { renderFluentBitConfig, renderFluentBitParsers } from "../../../runtime/daemon-config/fluent-bit/render-config.js";

const secretValue = "s3cr3t-Value-That-Must-Not-Leak";
const forwardInput: FluentBitConfigInput = {
  files: [
    { path: "/workspace/logs/*.log", tag: "app.api" },
    { path: `/work space/it's "x"/worker.log`, tag: "app.worker" },
  ],
  stateDir: "/var/lib/emp/fluent-bit",
  target: { protocol: "forward", host: "fluentd.internal", port: 24224, sharedKey: new Secret(secretValue), tls: true },
};
const httpInput: FluentBitConfigInput = {
  ...forwardInput,
  files: [...forwardInput.files, { path: "/workspace/more/*.log", tag: "app.api" }],
  target: { protocol: "http", host: "fluentd.internal", port: 8888 },
};

function problemsOf(input: FluentBitConfigInput): string[] {
  try {
    resolveFluentBitConfigInput(input);
  } catch (error: unknown) {
    if (error instanceof TelemetryConfigError) return error.problems.map((p) => p.key);
    throw error;
  }
  return [];
}

describe("renderFluentBitConfig (yaml)", () => {
  const yaml = renderFluentBitConfig(forwardInput, "yaml");

  it("renders the service with health, hot reload and filesystem storage in the state dir", () => {
    expect(yaml).toContain(
      [
        "service:",
        "  flush: 1",
        "  grace: 5",
        "  log_level: info",
        "  http_server: on",
        "  http_listen: 127.0.0.1",
        "  http_port: 2020",
        "  health_check: on",
        "  hot_reload: on",
        "  storage.path: /var/lib/emp/fluent-bit/storage",
      ].join("\n"),
    );
  });

  it("renders the JSON parser inline, reading nanosecond time from `timestamp` and keeping it", () => {
    expect(yaml).toContain(
      ["parsers:", "  - name: emp_ndjson", "    format: json", "    time_key: timestamp", "    time_format: '%Y-%m-%dT%H:%M:%S.%LZ'", "    time_keep: on"].join(
        "\n",
      ),
    );
  });

  it("renders one tail input per file with offsets DB, locking, buffers and filesystem storage", () => {
    expect(yaml).toMatch(
      new RegExp(
        [
          "    - name: tail",
          "      tag: app.api",
          "      path: '/workspace/logs/\\*.log'",
          "      parser: emp_ndjson",
          "      db: /var/lib/emp/fluent-bit/tail-app.api-[0-9a-f]{12}.db",
          "      db.locking: true",
          "      read_from_head: true",
          "      mem_buf_limit: 16777216",
          "      buffer_chunk_size: 131072",
          "      buffer_max_size: 1048576",
          "      skip_long_lines: on",
          "      storage.type: filesystem",
        ].join("\n"),
      ),
    );
    expect(yaml.match(/- name: tail/g)).toHaveLength(2);
  });

  it("single-quotes paths with spaces and quotes, doubling the single quote", () => {
    expect(yaml).toContain(`      path: '/work space/it''s "x"/worker.log'\n`);
  });

  it("renders an acked forward output with the shared key as ${FLUENTD_SHARED_KEY} and TLS", () => {
    expect(yaml).toContain(
      [
        "    - name: forward",
        "      match: '*'",
        "      host: fluentd.internal",
        "      port: 24224",
        "      retry_limit: no_limits",
        "      storage.total_limit_size: 536870912",
        "      require_ack_response: true",
        "      retain_metadata_in_forward_mode: false",
        "      shared_key: '${FLUENTD_SHARED_KEY}'",
        "      self_hostname: fluent-bit",
        "      tls: on",
        "      tls.verify: on",
      ].join("\n"),
    );
  });

  it("renders one http output per tag, posting JSON to /<tag> with the time under `time`", () => {
    const text = renderFluentBitConfig(httpInput, "yaml");
    expect(text.match(/- name: http/g)).toHaveLength(2);
    expect(text).toContain(
      [
        "    - name: http",
        "      match: app.worker",
        "      host: fluentd.internal",
        "      port: 8888",
        "      retry_limit: no_limits",
        "      storage.total_limit_size: 536870912",
        "      uri: /app.worker",
        "      format: json",
        "      json_date_key: time",
        "      json_date_format: double",
        "      tls: off",
      ].join("\n"),
    );
    expect(text).not.toContain("shared_key");
  });
});

describe("renderFluentBitConfig (classic)", () => {
  const conf = renderFluentBitConfig(forwardInput, "classic");

  it("names the parsers file in the state dir and renders values literally", () => {
    expect(conf).toContain("    parsers_file     /var/lib/emp/fluent-bit/emp-parsers.conf\n");
    expect(conf).toContain(`    path              /work space/it's "x"/worker.log\n`);
    expect(conf).toContain("    shared_key                      ${FLUENTD_SHARED_KEY}\n");
    expect(conf.match(/^\[INPUT\]$/gm)).toHaveLength(2);
    expect(conf.match(/^\[OUTPUT\]$/gm)).toHaveLength(1);
  });

  it("renders the parsers file with the emp_ndjson parser", () => {
    expect(renderFluentBitParsers(forwardInput)).toContain(
      [
        "[PARSER]",
        "    name        emp_ndjson",
        "    format      json",
        "    time_key    timestamp",
        "    time_format %Y-%m-%dT%H:%M:%S.%LZ",
        "    time_keep   on",
      ].join("\n"),
    );
  });

  it("uses an explicit parsers file path", () => {
    expect(renderFluentBitConfig({ ...forwardInput, parsersFile: "/etc/fluent-bit/p.conf" }, "classic")).toContain("parsers_file     /etc/fluent-bit/p.conf\n");
  });
});

describe("secrets in the Fluent Bit config", () => {
  it("never writes the shared key's value, in either format, nor in the resolved input", () => {
    for (const text of [renderFluentBitConfig(forwardInput, "yaml"), renderFluentBitConfig(forwardInput, "classic"), renderFluentBitParsers(forwardInput)]) {
      expect(text).not.toContain(secretValue);
    }
    const resolved = resolveFluentBitConfigInput(forwardInput);
    expect(JSON.stringify(resolved)).not.toContain(secretValue);
    expect(inspect(resolved, { depth: 10 })).not.toContain(secretValue);
  });

  it("references the variable named by sharedKeyEnv", () => {
    const input: FluentBitConfigInput = {
      ...forwardInput,
      target: { protocol: "forward", host: "h", port: 1, sharedKey: new Secret(secretValue), sharedKeyEnv: "EMP_FB_KEY" },
    };
    expect(renderFluentBitConfig(input, "yaml")).toContain("shared_key: '${EMP_FB_KEY}'");
    expect(fluentBitEnvironment(input.target)).toEqual({ EMP_FB_KEY: secretValue });
  });

  it("renders no shared_key and needs no environment without a key", () => {
    const input: FluentBitConfigInput = { ...forwardInput, target: { protocol: "forward", host: "h", port: 1 } };
    expect(renderFluentBitConfig(input, "yaml")).not.toContain("shared_key");
    expect(fluentBitEnvironment(input.target)).toEqual({});
  });

  it("keeps the key of a resolved telemetry config as a Secret in the target", () => {
    const config = resolveTelemetryConfig(
      { serviceName: "api", serviceType: "api", environment: "test", fluentd: { host: "fluentd", sharedKey: secretValue } },
      {},
    );
    const target = fluentBitTargetFromConfig(config.fluentd, "api-host");
    expect(target).toMatchObject({ protocol: "forward", host: "fluentd", port: 24224, selfHostname: "api-host" });
    const text = renderFluentBitConfig({ ...forwardInput, target }, "yaml");
    expect(text).toContain("shared_key: '${FLUENTD_SHARED_KEY}'");
    expect(text).not.toContain(secretValue);
    expect(fluentBitEnvironment(target)).toEqual({ FLUENTD_SHARED_KEY: secretValue });
  });
});

describe("resolveFluentBitConfigInput", () => {
  it("has frozen defaults", () => {
    expect(Object.isFrozen(fluentBitConfigDefaults)).toBe(true);
  });

  it("derives each offsets DB from tag and path, so adding or reordering files keeps them", () => {
    const one = resolveFluentBitConfigInput(forwardInput).files;
    const reordered = resolveFluentBitConfigInput({
      ...forwardInput,
      files: [{ path: "/new/*.log", tag: "app.new" }, ...[...forwardInput.files].reverse()],
    }).files;
    expect(reordered.find((f) => f.tag === "app.api")?.db).toBe(one[0]?.db);
    expect(reordered.find((f) => f.tag === "app.worker")?.db).toBe(one[1]?.db);
    expect(new Set(reordered.map((f) => f.db)).size).toBe(3);
  });

  it("names every problem at once", () => {
    const keys = problemsOf({
      files: [
        { path: "relative/*.log", tag: "app" },
        { path: "/a,b/*.log", tag: "bad tag" },
        { path: "/x/${HOME}.log", tag: "app.x" },
        { path: "/x/\nnew.log", tag: "app.y" },
        { path: "/dup.log", tag: "app.d" },
        { path: "/dup.log", tag: "app.d" },
      ],
      stateDir: "state",
      target: { protocol: "forward", host: "fluentd", port: 70000, sharedKeyEnv: "1BAD" },
      httpPort: 0,
      retryLimit: 0,
      bufferChunkBytes: 2 * 1024 * 1024,
    });
    expect(keys).toEqual([
      "fluentBit.stateDir",
      "fluentBit.files[0].path",
      "fluentBit.files[1].path",
      "fluentBit.files[1].tag",
      "fluentBit.files[2].path",
      "fluentBit.files[3].path",
      "fluentBit.files[5]",
      "fluentBit.target.port",
      "fluentBit.target.sharedKeyEnv",
      "fluentBit.retryLimit",
      "fluentBit.bufferMaxBytes",
      "fluentBit.httpPort",
    ]);
  });

  it("reports a bad target by key and value, never with the shared key's value", () => {
    try {
      resolveFluentBitConfigInput({ ...forwardInput, target: { protocol: "forward", host: "bad host", port: 1, sharedKey: new Secret(secretValue) } });
      expect.unreachable();
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(TelemetryConfigError);
      expect(String((error as Error).message)).toContain("fluentBit.target.host");
      expect(String((error as Error).message)).not.toContain(secretValue);
    }
  });
});
