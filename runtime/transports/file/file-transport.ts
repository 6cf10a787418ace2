import { mkdir, open as openFile, rename, stat, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { inspect } from "node:util";
import type { EncodedBatch, SendResult, Transport } from "../transport.js";
import { TransportError } from "../transport-error.js";
import { resolveFileTransportOptions, type FileTransportOptions, type ResolvedFileTransportOptions } from "./file-transport-options.js";

const ok: SendResult = Object.freeze({ status: "ok" });
/** fs error codes that another attempt will not fix (permissions, a directory in the way, read-only fs). */
const permanentCodes: ReadonlySet<string> = new Set(["EACCES", "EPERM", "EISDIR", "ENOTDIR", "EROFS", "ENAMETOOLONG", "ELOOP", "EINVAL", "EEXIST"]);

/** The open file and what we know about it. */
interface OpenFile {
  readonly handle: FileHandle;
  readonly ino: number;
  size: number;
}

/** How the transport opens its file; tests inject one whose handle fails (ENOSPC after a partial write). */
export interface FileTransportHooks {
  /** Opens `path` with `flags` and `mode`; default `fs.promises.open`. */
  readonly open?: (path: string, flags: string, mode: number) => Promise<FileHandle>;
}

/** Appends NDJSON to one file with size rotation; see {@link createFileTransport}. */
class FileTransport implements Transport {
  readonly name = "file";
  readonly #options: ResolvedFileTransportOptions;
  readonly #openFile: (path: string, flags: string, mode: number) => Promise<FileHandle>;
  #file: OpenFile | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;
  #rotations = 0;
  /** A torn batch's file and its size before the batch, when cutting the partial write off failed. */
  #rollback: { readonly ino: number; readonly size: number } | undefined;

  constructor(options: ResolvedFileTransportOptions, hooks: FileTransportHooks) {
    this.#options = options;
    this.#openFile = hooks.open ?? openFile;
  }

  send(batch: EncodedBatch, signal?: AbortSignal): Promise<SendResult> {
    if (this.#closed) return Promise.resolve({ status: "failed", error: new TransportError("transport is closed", "shutdown") });
    const result = this.#tail.then(() => this.#write(batch, signal));
    this.#tail = result;
    return result;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#tail;
    await this.#closeFile();
  }

  [inspect.custom](_depth: number, inspectOptions: object): string {
    return `FileTransport ${inspect({ ...this.#options, size: this.#file?.size, rotations: this.#rotations, closed: this.#closed }, inspectOptions)}`;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, options: this.#options };
  }

  async #write(batch: EncodedBatch, signal: AbortSignal | undefined): Promise<SendResult> {
    if (this.#closed) return { status: "retryable", error: new TransportError("transport closed before the write", "shutdown") };
    if (signal?.aborted) return { status: "retryable", error: new TransportError("send aborted", "shutdown", { cause: signal.reason }) };
    if (batch.count === 0) return ok;
    const lines = batch.body;
    let writing: OpenFile | undefined;
    try {
      let file = await this.#current();
      if (file.size > 0 && file.size + lines.byteLength > this.#options.maxFileBytes) file = await this.#rotate();
      writing = file;
      let written = 0;
      while (written < lines.byteLength) {
        const { bytesWritten } = await file.handle.write(lines, written);
        written += bytesWritten;
      }
      file.size += written;
      return ok;
    } catch (error: unknown) {
      if (writing !== undefined) await this.#rollBack(writing);
      await this.#closeFile();
      const code: unknown = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
      const message = `file sink ${this.#options.path}: ${error instanceof Error ? error.message : String(error)}`;
      if (typeof code === "string" && permanentCodes.has(code)) return { status: "failed", error: new TransportError(message, "rejected", { cause: error }) };
      return { status: "retryable", error: new TransportError(message, "unavailable", { cause: error }) };
    }
  }

  /**
   * Cuts a batch's partial write (ENOSPC, EIO…) off the file: back to its size before the batch, the end of the
   * last whole line, so the retry neither leaves a torn line nor appends the written part twice. When the
   * truncation itself fails, the next open of the same file does it.
   */
  async #rollBack(file: OpenFile): Promise<void> {
    try {
      await file.handle.truncate(file.size);
      this.#rollback = undefined;
    } catch {
      this.#rollback = { ino: file.ino, size: file.size };
    }
  }

  /** The open file, reopened when it was never opened, or was moved or deleted by someone else. */
  async #current(): Promise<OpenFile> {
    const file = this.#file;
    if (file !== undefined) {
      const onDisk = await stat(this.#options.path).catch(() => undefined);
      if (onDisk !== undefined && onDisk.ino === file.ino) return file;
      await this.#closeFile();
    }
    return this.#open();
  }

  async #open(): Promise<OpenFile> {
    await mkdir(path.dirname(this.#options.path), { recursive: true });
    const handle = await this.#openFile(this.#options.path, "a", this.#options.fileMode);
    try {
      const info = await handle.stat();
      let size = info.size;
      const rollback = this.#rollback;
      if (rollback !== undefined && rollback.ino === info.ino && rollback.size < size) {
        await handle.truncate(rollback.size);
        size = rollback.size;
      }
      this.#rollback = undefined;
      const file: OpenFile = { handle, ino: info.ino, size };
      this.#file = file;
      return file;
    } catch (error: unknown) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  /** `<path>.(n-1)` → `<path>.n` … `<path>` → `<path>.1` (the oldest is overwritten), then a fresh `<path>`. */
  async #rotate(): Promise<OpenFile> {
    await this.#closeFile();
    const base = this.#options.path;
    const keep = this.#options.keepFiles;
    if (keep === 0) await unlink(base).catch(ignoreMissing);
    else {
      for (let i = keep - 1; i >= 1; i--) await rename(`${base}.${i}`, `${base}.${i + 1}`).catch(ignoreMissing);
      await rename(base, `${base}.1`).catch(ignoreMissing);
    }
    this.#rotations++;
    return this.#open();
  }

  async #closeFile(): Promise<void> {
    const file = this.#file;
    this.#file = undefined;
    await file?.handle.close().catch(() => undefined); // a close error loses nothing already written
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as { code?: unknown } | null)?.code !== "ENOENT") throw error;
}

/**
 * Creates a transport that appends each batch to a local file for Fluent Bit's `tail` input,
 * rotating by size. `EncodedBatch.body` is written as is: NDJSON lines (one JSON object per line,
 * UTF-8, each ending in a line break), as `createNdjsonLogEncoder` writes them.
 *
 * - Writes are serialised; a batch is one `write` (`O_APPEND`), so a reader sees whole lines except
 *   during the write. The directory is created; a file moved or deleted by someone else is reopened.
 * - Rotation: before a batch would take the file past `maxFileBytes`, `<path>` becomes `<path>.1`
 *   (older ones shift, `keepFiles` are kept) and a new `<path>` starts; a batch larger than
 *   `maxFileBytes` goes alone into a fresh file. Renaming is what `tail` follows (`rotate_wait`).
 * - Never throws or rejects: permission, read-only or path errors → `failed` (`rejected`); others (ENOSPC, EMFILE, EIO…) → `retryable`
 *   (`unavailable`; a partial write is cut off, back to the last whole line, so the retry writes each record once). After `close()` → `failed`
 *   (`shutdown`); `close()` lets the write in progress finish, queued ones resolve `retryable` (`shutdown`).
 *
 * @throws TelemetryConfigError `config_invalid` from {@link resolveFileTransportOptions} on bad options.
 */
export function createFileTransport(options?: FileTransportOptions, hooks: FileTransportHooks = {}): Transport {
  return new FileTransport(resolveFileTransportOptions(options), hooks);
}
