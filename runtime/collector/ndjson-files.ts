import { EventEmitter, once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { CollectorSignal, ReceivedRecord } from "./collector-records.js";

/** Counters of {@link NdjsonFiles}. */
export interface NdjsonFileStats {
  /** Directory of the files, `undefined` when storage is off. */
  readonly dir: string | undefined;
  readonly linesWritten: number;
  readonly writeErrors: number;
  readonly lastError?: string;
}

/**
 * Appends received records as NDJSON, one file per signal (`logs.ndjson`, `spans.ndjson`) in one
 * directory, one record per line. Failure behaviour: never throws after {@link openNdjsonFiles}; a
 * failed write is counted (`writeErrors`, `lastError`) and the record stays in memory.
 */
export class NdjsonFiles {
  readonly #dir: string | undefined;
  readonly #streams = new Map<CollectorSignal, WriteStream>();
  readonly #idle = new EventEmitter();
  #pending = 0;
  #linesWritten = 0;
  #writeErrors = 0;
  #lastError: string | undefined;

  constructor(dir: string | undefined) {
    this.#dir = dir;
    if (dir === undefined) return;
    for (const signal of ["logs", "spans"] as const) {
      const stream = createWriteStream(join(dir, `${signal}.ndjson`), { flags: "a" });
      stream.on("error", (e: Error) => this.#failed(e));
      this.#streams.set(signal, stream);
    }
  }

  /** Appends one record to its signal's file. */
  append(record: ReceivedRecord): void {
    const stream = this.#streams.get(record.signal);
    if (stream === undefined || stream.destroyed || stream.writableEnded) return;
    this.#pending++;
    stream.write(`${JSON.stringify(record)}\n`, (e) => {
      if (e) this.#failed(e);
      else this.#linesWritten++;
      if (--this.#pending === 0) this.#idle.emit("idle");
    });
  }

  /** Resolves when every line appended so far has been written (or has failed). Never rejects. */
  async flush(): Promise<void> {
    if (this.#pending > 0) await once(this.#idle, "idle");
  }

  /** Flushes and closes the files. Never rejects. */
  async close(): Promise<void> {
    await this.flush();
    await Promise.all(
      [...this.#streams.values()].map(async (s) => {
        if (s.closed) return;
        const closed = once(s, "close").catch(() => undefined);
        s.end();
        await closed;
      }),
    );
  }

  stats(): NdjsonFileStats {
    return {
      dir: this.#dir,
      linesWritten: this.#linesWritten,
      writeErrors: this.#writeErrors,
      ...(this.#lastError === undefined ? {} : { lastError: this.#lastError }),
    };
  }

  #failed(e: Error): void {
    this.#writeErrors++;
    this.#lastError = e.message;
  }
}

/** Creates the directory (if set) and opens the files. Rejects when the directory cannot be created. */
export async function openNdjsonFiles(dir: string | undefined): Promise<NdjsonFiles> {
  if (dir !== undefined) await mkdir(dir, { recursive: true });
  return new NdjsonFiles(dir);
}
