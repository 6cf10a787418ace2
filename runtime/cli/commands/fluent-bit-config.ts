import path from "node:path";
import { findMisspelledEnvNames } from "../../config/did-you-mean.js";
import { resolveTelemetryConfig } from "../../config/resolve-config.js";
import { telemetryConfigEnv } from "../../config/env-table.js";
import type { TelemetryEnvName } from "../../config/env-table.js";
import { fluentBitTargetFromConfig } from "../../daemon-config/fluent-bit/fluent-bit-environment.js";
import { fluentBitCommandHeader, renderFluentBitConfig } from "../../daemon-config/fluent-bit/render-config.js";
import { writeFluentBitConfig } from "../../daemon-config/fluent-bit/write-config.js";
import type { FluentBitConfigInput, FluentBitFileInput } from "../../daemon-config/fluent-bit/fluent-bit-config-input.js";
import { cliExitCodes, commandError, commandPrefix, errorText, parseCommandArgs, usageError, type CliCommand, type CliIo } from "../cli-command.js";

const usage = `usage: emp-telemetry fluent-bit-config [--format yaml|classic] [--state-dir DIR] [--tag TAG] [--output FILE] <file-or-glob>...

Prints the Fluent Bit configuration that tails the given NDJSON files (our file sink's records) and
ships them to Fluentd: one tail input per file (offsets DB, filesystem buffering), an acked forward
output (or http outputs to in_http), the health / hot-reload server.

The target comes from the environment, as the client reads it: FLUENTD_HOST, FLUENTD_PORT,
FLUENTD_PROTOCOL, FLUENTD_TLS, FLUENTD_SHARED_KEY (only its name is written: \${FLUENTD_SHARED_KEY};
start Fluent Bit with it set), LOG_DIR. Service identity variables are not needed and not read.

Quote globs ('/workspace/logs/*.log') so that Fluent Bit, not the shell, expands them: files
created later are tailed too.

options:
  --format yaml|classic  config syntax (default yaml)
  --state-dir DIR        Fluent Bit state: offset DBs, storage/ chunks, classic parsers file
                         (default $LOG_DIR/fluent-bit, else /var/lib/emp-telemetry/fluent-bit)
  --tag TAG              tag of every file's records (default emp.file.<file name>; for a glob its
                         literal part, or the directory's name: /logs/*.log → emp.file.logs)
  --output FILE          write the config to FILE atomically instead of printing it (classic also
                         writes its parsers file, <state-dir>/emp-parsers.conf)
  -h, --help             this help
`;

/** `--state-dir` when neither it nor `LOG_DIR` is given. */
export const defaultFluentBitStateDir = "/var/lib/emp-telemetry/fluent-bit";

/** The variables this command reads: the Fluentd target and `LOG_DIR`, with their aliases. */
const targetEnvNames: readonly TelemetryEnvName[] = ["FLUENTD_HOST", "FLUENTD_PORT", "FLUENTD_PROTOCOL", "FLUENTD_TLS", "FLUENTD_SHARED_KEY", "LOG_DIR"];

/** Characters that make a path a glob for Fluent Bit's `tail` input. */
const globCharacters = /[*?[\]{}]/;

/** A path segment as a tag part: characters a tag cannot hold as `_`, no empty or leading/trailing dots. */
function tagPart(segment: string): string {
  return segment
    .replace(/[^A-Za-z0-9_.-]/g, "_")
    .replace(/\.{2,}/g, ".")
    .replace(/^\.+|\.+$/g, "");
}

/**
 * The default tag of a file, as `log.addFile` picks it: `emp.file.<file name>`, characters a tag
 * cannot hold replaced by `_`. A glob's wildcards are dropped (`app-*.log` → `emp.file.app.log`);
 * when nothing but an extension is left (`/workspace/logs/*.log`) the directory names it:
 * `emp.file.logs`.
 */
export function defaultFileTag(file: string): string {
  const name = path.basename(file);
  if (!globCharacters.test(name)) {
    const base = tagPart(name);
    return `emp.file.${base === "" ? "file" : base}`;
  }
  const dot = name.lastIndexOf(".");
  const hasExtension = dot > 0 && !globCharacters.test(name.slice(dot));
  const stem = tagPart((hasExtension ? name.slice(0, dot) : name).replace(/\[[^\]]*\]|\{[^}]*\}|[*?]/g, ".").replace(/[-_]*\.[-_.]*/g, "."));
  const dir = path
    .dirname(file)
    .split(/[\\/]/)
    .reverse()
    .find((d) => d !== "" && !globCharacters.test(d));
  const base = stem !== "" ? `${stem}${hasExtension ? `.${tagPart(name.slice(dot))}` : ""}` : tagPart(dir ?? "") || "files";
  return `emp.file.${base}`;
}

/**
 * The Fluentd part of the configuration from `env`: `resolveTelemetryConfig` over only the
 * `FLUENTD_*` and `LOG_DIR` variables, with placeholder service identity (this command renders no
 * identity), so unrelated variables can neither fail nor change it.
 * @throws TelemetryConfigError naming every bad `FLUENTD_*` / `LOG_DIR` value (secrets redacted).
 */
function fluentdFromEnv(env: CliIo["env"]): ReturnType<typeof resolveTelemetryConfig> {
  const picked: Record<string, string> = {};
  for (const name of targetEnvNames) {
    for (const key of [name, ...telemetryConfigEnv[name].aliases.map((a) => a.name)]) {
      const value = env[key];
      if (value !== undefined) picked[key] = value;
    }
  }
  return resolveTelemetryConfig({ serviceType: "api", serviceName: "fluent-bit-config", environment: "cli" }, picked);
}

/**
 * `emp-telemetry fluent-bit-config`: renders `renderFluentBitConfig` for the files given, the target
 * from the environment. Exit 0; 2 on bad arguments, invalid `FLUENTD_*` values or a file that cannot
 * be written (`--output`). Misspelled variables with our prefixes are warned about on stderr.
 * Secrets only appear as `${ENV}` references.
 */
export const fluentBitConfigCommand: CliCommand = async (argv, io) => {
  const name = "fluent-bit-config";
  const parsed = await parseCommandArgs(
    name,
    argv,
    {
      format: { type: "string" },
      "state-dir": { type: "string" },
      tag: { type: "string" },
      output: { type: "string", short: "o" },
    },
    usage,
    io,
  );
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const format = values.format ?? "yaml";
  if (format !== "yaml" && format !== "classic") return usageError(io, name, `--format must be yaml or classic, got ${JSON.stringify(format)}`, usage);
  if (positionals.length === 0) return usageError(io, name, "missing <file-or-glob>", usage);

  let config: ReturnType<typeof resolveTelemetryConfig>;
  try {
    config = fluentdFromEnv(io.env);
  } catch (error: unknown) {
    return commandError(io, name, errorText(error));
  }
  for (const warning of findMisspelledEnvNames(io.env)) io.stderr.write(`${commandPrefix(name)}warning: ${warning.message}\n`);

  const files: FluentBitFileInput[] = positionals.map((file) => {
    const absolute = path.resolve(file);
    return { path: absolute, tag: values.tag ?? defaultFileTag(absolute) };
  });
  const stateDir = path.resolve(values["state-dir"] ?? (config.logDir === undefined ? defaultFluentBitStateDir : path.join(config.logDir, "fluent-bit")));
  const input: FluentBitConfigInput = { files, stateDir, target: fluentBitTargetFromConfig(config.fluentd), timeKey: "timestamp" };

  try {
    if (values.output !== undefined) {
      const result = await writeFluentBitConfig({ configPath: path.resolve(values.output), input, format, header: fluentBitCommandHeader });
      if (result.status !== "ok") {
        return commandError(io, name, `${result.error.message}: ${errorText(result.error.cause)}`);
      }
      io.stdout.write(`wrote ${result.files.join(", ")}${result.changed ? "" : " (unchanged)"}\n`);
      return cliExitCodes.ok;
    }
    io.stdout.write(renderFluentBitConfig(input, format, fluentBitCommandHeader));
    if (format === "classic")
      io.stderr.write(
        `${commandPrefix(name)}note: the classic config reads its parsers from ${path.join(stateDir, "emp-parsers.conf")}; --output FILE writes both files\n`,
      );
    return cliExitCodes.ok;
  } catch (error: unknown) {
    return commandError(io, name, errorText(error));
  }
};
