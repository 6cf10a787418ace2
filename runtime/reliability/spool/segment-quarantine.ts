import { readdirSync, statSync } from "node:fs";
import { rename } from "node:fs/promises";
import path from "node:path";

/**
 * Largest segment the spool reads back (a chunk at a time): a file of 2 GiB or more is no segment of
 * ours (they are far smaller, `segmentBytes`) and is quarantined unread.
 */
export const segmentReadLimit = 2 ** 31 - 1;

const quarantinedSuffix = ".quarantined";

/** Segments in `dir` moved aside earlier (by this process or an earlier one), and their bytes. Never throws. */
export function listQuarantined(dir: string): { readonly count: number; readonly bytes: number } {
  let count = 0;
  let bytes = 0;
  try {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(quarantinedSuffix)) continue;
      count++;
      try {
        bytes += statSync(path.join(dir, name)).size;
      } catch {
        // Gone or unreadable since it was listed: counted, size unknown.
      }
    }
  } catch {
    // The directory cannot be read: the spool reports that itself.
  }
  return { count, bytes };
}

/** Where an unreadable segment is moved: beside it, under a name the spool never lists again. */
export function quarantinePath(file: string): string {
  return `${file}${quarantinedSuffix}`;
}

/**
 * Moves an unreadable segment aside (never deletes it: it may hold the user's records).
 * Resolves the new path, or the `fs` error when the move failed (the file then stays where it is). Never rejects.
 */
export async function quarantineSegment(file: string): Promise<{ readonly to: string } | { readonly error: unknown }> {
  const to = quarantinePath(file);
  try {
    await rename(file, to);
    return { to };
  } catch (error: unknown) {
    return { error };
  }
}
