import { rename } from "node:fs/promises";

/**
 * Largest segment the spool reads back: `fs.readFile` refuses files of 2 GiB or more
 * (`ERR_FS_FILE_TOO_LARGE`), and a segment is read whole. Ours are far smaller (`segmentBytes`).
 */
export const segmentReadLimit = 2 ** 31 - 1;

/** Where an unreadable segment is moved: beside it, under a name the spool never lists again. */
export function quarantinePath(file: string): string {
  return `${file}.quarantined`;
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
