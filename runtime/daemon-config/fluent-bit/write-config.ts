import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { TelemetryError } from "../../errors/telemetry-error.js";
import { resolveFluentBitConfigInput, type FluentBitConfigFormat, type FluentBitConfigInput } from "./fluent-bit-config-input.js";
import { renderFluentBitConfig, renderFluentBitParsers } from "./render-config.js";

/** Options of {@link writeFluentBitConfig}. */
export interface WriteFluentBitConfigOptions {
  /** Absolute path of the main config file (`…/fluent-bit.yaml` or `…/fluent-bit.conf`); its directory is created. */
  readonly configPath: string;
  /** What to render. */
  readonly input: FluentBitConfigInput;
  /** Syntax. Classic also writes the parsers file named by `input.parsersFile`. */
  readonly format: FluentBitConfigFormat;
  /**
   * PID of the Fluent Bit already running with `configPath`: it gets SIGHUP, which with the
   * rendered `hot_reload on` makes it re-read the config in place (inputs resume from their offset
   * DBs, buffered chunks stay in `storage/`). Not sent when nothing changed. Default: none.
   */
  readonly pid?: number;
  /** Leading comment of the files. Default `fluentBitConfigHeader` (the client's: rewritten when files are added). */
  readonly header?: string;
}

/** What {@link writeFluentBitConfig} did. Never a throw for I/O: failures are `failed`. */
export type WriteFluentBitConfigResult =
  | {
      readonly status: "ok";
      /** Whether any file's content changed (unchanged files are not rewritten and nothing is signalled). */
      readonly changed: boolean;
      /** Whether SIGHUP was sent to `pid`. */
      readonly reloadSignalled: boolean;
      /** Files written or found up to date: the main config, then the classic parsers file. */
      readonly files: readonly string[];
    }
  | { readonly status: "failed"; readonly error: TelemetryError };

async function readOrUndefined(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch {
    return undefined; // Missing (or unreadable): written below, which reports any real problem.
  }
}

/** Writes `text` to `file` atomically: a temporary file in the same directory, fsync, rename, fsync of the directory. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${String(process.pid)}-${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "wx", 0o644);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error: unknown) {
    await rm(temp, { force: true });
    throw error;
  }
  const dirHandle = await open(dir, "r");
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

/**
 * Renders the config for `options.input` and writes it atomically (temp + rename, so a Fluent Bit
 * starting or reloading never reads half a file): for `classic` the parsers file first, then the
 * main file. Creates `stateDir`. Then, if `pid` is given and something changed, sends it SIGHUP
 * (hot reload, confirmed by `GET /api/v2/reload`, see {@link readFluentBitReloadCount}).
 * @throws TelemetryConfigError when `input` is invalid (the only throw: it is a programming error).
 * @returns `failed` with code `unavailable` when a file cannot be written or the PID is gone.
 */
export async function writeFluentBitConfig(options: WriteFluentBitConfigOptions): Promise<WriteFluentBitConfigResult> {
  const resolved = resolveFluentBitConfigInput(options.input);
  // Parsers first, so the main file never names a parsers file that is not there yet.
  const texts: [string, string][] = [];
  if (options.format === "classic") texts.push([resolved.parsersFile, renderFluentBitParsers(options.input, options.header)]);
  texts.push([options.configPath, renderFluentBitConfig(options.input, options.format, options.header)]);
  const files = texts.map(([file]) => file).reverse();
  let changed = false;
  try {
    await mkdir(resolved.stateDir, { recursive: true });
    for (const [file, text] of texts) {
      if ((await readOrUndefined(file)) === text) continue;
      await writeAtomically(file, text);
      changed = true;
    }
  } catch (error: unknown) {
    return { status: "failed", error: new TelemetryError(`could not write the Fluent Bit config ${options.configPath}`, "unavailable", { cause: error }) };
  }
  let reloadSignalled = false;
  if (changed && options.pid !== undefined) {
    try {
      process.kill(options.pid, "SIGHUP");
      reloadSignalled = true;
    } catch (error: unknown) {
      return {
        status: "failed",
        error: new TelemetryError(`config written, but Fluent Bit (pid ${String(options.pid)}) could not be signalled to reload; restart it`, "unavailable", {
          cause: error,
        }),
      };
    }
  }
  return { status: "ok", changed, reloadSignalled, files };
}
