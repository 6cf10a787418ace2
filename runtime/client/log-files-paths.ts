/** Whether a path is a glob (`*`, `?`, `[`): Fluent Bit tails every match; nobody can write "into" it. */
export function isGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

/**
 * A Fluent Bit / Fluentd tag from a stream name: dot-separated words of letters, digits, `_` and `-`;
 * any other character becomes `_`, empty words are dropped (`"error log"` → `error_log`).
 */
export function tagOfName(name: string): string {
  const tag = name
    .replace(/[^A-Za-z0-9_.-]/g, "_")
    .split(".")
    .filter((word) => word !== "")
    .join(".");
  return tag === "" ? "_" : tag;
}
