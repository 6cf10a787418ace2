/** Whether a path is a glob (`*`, `?`, `[`): Fluent Bit tails every match; nobody can write "into" it. */
export function isGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

/** A Fluent Bit / Fluentd tag from a stream name: letters, digits, `.`, `_`, `-`; anything else becomes `_`. */
export function tagOfName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, "_");
}
