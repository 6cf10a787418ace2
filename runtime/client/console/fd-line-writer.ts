import { write, writeSync } from "node:fs";

/** Characters of lines a writer holds while the descriptor is busy; lines past it are dropped and counted. */
const maxBufferedChars = 4 * 1024 * 1024;
/** Wait before writing again after `EAGAIN` (a full non-blocking pipe), in ms. */
const busyRetryMs = 20;

/**
 * Lines to a file descriptor (stdout), written the way pino's sonic-boom does: calls only append to a
 * buffer; one asynchronous `fs.write` at a time takes what was buffered (partial writes and `EAGAIN`
 * retried), so a slow terminal or pipe never blocks the event loop; at process exit what is left is
 * written synchronously. Bounded: past 4 MiB buffered, lines are dropped and counted in `dropped`; after a
 * write error other than `EAGAIN` (`EPIPE`: the reader went away) every line is dropped. Never throws.
 */
export class FdLineWriter {
  /** Lines dropped (buffer full, descriptor closed). */
  dropped = 0;
  readonly #fd: number;
  #buffer = "";
  #bufferedLines = 0;
  /** Bytes of the write in progress not yet written (after a partial write). */
  #pending: Buffer | undefined;
  #writing = false;
  #scheduled = false;
  #broken = false;
  readonly #flush = (): void => {
    this.#scheduled = false;
    this.#writeNext();
  };

  constructor(fd: number) {
    this.#fd = fd;
    process.once("exit", () => this.flushSync());
  }

  /** Appends `line` (ending in `\n`); written in a later turn. */
  push(line: string): void {
    if (this.#broken || this.#buffer.length + line.length > maxBufferedChars) {
      this.dropped++;
      return;
    }
    this.#buffer += line;
    this.#bufferedLines++;
    if (!this.#writing && !this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
  }

  /** Writes everything left, synchronously (at exit). Never throws. */
  flushSync(): void {
    try {
      if (this.#broken) return;
      if (this.#pending !== undefined) writeSync(this.#fd, this.#pending);
      this.#pending = undefined;
      if (this.#buffer !== "") writeSync(this.#fd, this.#buffer);
      this.#buffer = "";
      this.#bufferedLines = 0;
    } catch {
      this.dropped += this.#bufferedLines;
    }
  }

  #writeNext(): void {
    if (this.#writing || this.#broken) return;
    if (this.#pending === undefined) {
      if (this.#buffer === "") return;
      this.#pending = Buffer.from(this.#buffer, "utf8");
      this.#buffer = "";
      this.#bufferedLines = 0;
    }
    const chunk = this.#pending;
    this.#writing = true;
    write(this.#fd, chunk, 0, chunk.length, null, (error, written) => {
      this.#writing = false;
      if (error !== null) {
        if ((error as NodeJS.ErrnoException).code === "EAGAIN") {
          setTimeout(() => this.#writeNext(), busyRetryMs).unref();
          return;
        }
        this.#broken = true;
        this.#pending = undefined;
        this.dropped += this.#bufferedLines + 1;
        this.#buffer = "";
        return;
      }
      this.#pending = written < chunk.length ? chunk.subarray(written) : undefined;
      this.#writeNext();
    });
  }
}

const writers = new Map<number, FdLineWriter>();

/** The one writer of descriptor `fd` in this process (shared by every client). */
export function fdLineWriter(fd: number): FdLineWriter {
  let writer = writers.get(fd);
  if (writer === undefined) {
    writer = new FdLineWriter(fd);
    writers.set(fd, writer);
  }
  return writer;
}
