import type { FileHandle } from "node:fs/promises";

/** The segment being written. */
export interface OpenSegment {
  readonly path: string;
  readonly handle: FileHandle;
  bytes: number;
  /** Ordinal after its last record (records are numbered in admission order from 0). */
  end: number;
}

/** A closed segment whose records are not all settled yet. */
export interface ClosedSegment {
  readonly path: string;
  readonly bytes: number;
  readonly end: number;
}
