import type { Value } from "../../generated/index.js";
import { redactedText } from "../config/secret.js";

/**
 * Endings of the keys whose values are redacted by default, compared on the key lowercased without
 * `-`, `_` and `.` (as the static check's `secret-in-log` rule does): `password`, `dbPassword`, `passwd`,
 * `secret`, `clientSecret`, `token`, `access_token`, `X-Auth-Token`, `apiKey` / `api_key` / `x-api-key` /
 * `DASH0_API_KEY`, `authorization` / `Proxy-Authorization`, `cookie` / `set-cookie`, `privateKey`,
 * `sharedKey`, `credentials`. A key stating a fact about a secret (`hasToken`, `isSecret`) is kept.
 */
export const defaultRedactedKeyEndings: readonly string[] = Object.freeze([
  "password",
  "passwd",
  "secret",
  "token",
  "apikey",
  "authorization",
  "cookie",
  "privatekey",
  "sharedkey",
  "credentials",
]);

/** Prefixes of keys that state a fact about a secret rather than hold it (`hasToken`, `is_secret`). */
const factPrefix = /^(has|is|no|missing|with|without|use|uses)[A-Z_-]/;

/** Path segment that matches every key of a map and every item of a list (`*` in `users[*].email`). */
const anySegment = Symbol("*");
type Segment = string | typeof anySegment;

/** The value a redacted entry carries: `"[redacted]"`, shared (values are never mutated). */
export const redactedValue: Value = Object.freeze({
  $typeName: "emp.telemetry.v1.Value",
  kind: Object.freeze({ case: "stringValue", value: redactedText }),
}) as Value;

/** Most keys whose verdict is remembered; the memory is emptied when it fills. */
const maxRemembered = 4096;

/**
 * What to redact in log data, and how often it was done. Keys are matched during the data walk
 * (`safeData`), one map lookup per key: each key's verdict is remembered, so a key is normalised
 * once. Paths are applied to the built data afterwards, only when there are any.
 */
export class Redaction {
  /** Values replaced by `"[redacted]"` so far. */
  count = 0;
  /** Paths from the data's top, each a list of segments; empty when only keys are redacted. */
  readonly paths: readonly (readonly Segment[])[];
  readonly #keys: ReadonlySet<string>;
  readonly #verdicts = new Map<string, boolean>();

  /** @param extra - more keys and paths (`redact` option); assumed checked (non-empty strings). */
  constructor(extra: readonly string[] = []) {
    const keys = new Set<string>();
    const paths: Segment[][] = [];
    for (const entry of extra) {
      const segments = parsePath(entry.trim());
      if (segments.length === 1 && typeof segments[0] === "string") keys.add(normalisedKey(segments[0]));
      else paths.push(segments);
    }
    this.#keys = keys;
    this.paths = paths;
  }

  /**
   * Whether the value under `key` is redacted, wherever it is: a default ending, or a key of the `redact`
   * option (normalised the same way, exact). Hot path: one map lookup once the key was seen.
   */
  redactsKey(key: string): boolean {
    let verdict = this.#verdicts.get(key);
    if (verdict === undefined) {
      const normalised = normalisedKey(key);
      verdict = this.#keys.has(normalised) || (defaultRedactedKeyEndings.some((ending) => normalised.endsWith(ending)) && !factPrefix.test(key));
      if (this.#verdicts.size >= maxRemembered) this.#verdicts.clear();
      this.#verdicts.set(key, verdict);
    }
    return verdict;
  }

  /**
   * Replaces the values at the paths in `fields` (freshly built by `safeData`: its maps and lists are
   * its own, so they are changed in place) by `"[redacted]"`. Never throws.
   */
  redactPaths(fields: { [key: string]: Value }): void {
    for (const path of this.paths) this.#inMap(fields, path, 0);
  }

  #inMap(fields: { [key: string]: Value }, path: readonly Segment[], at: number): void {
    const segment = path[at];
    const keys = segment === anySegment ? Object.keys(fields) : segment !== undefined && Object.hasOwn(fields, segment) ? [segment] : [];
    for (const key of keys) {
      const value = fields[key];
      if (value === undefined) continue;
      if (at === path.length - 1) {
        fields[key] = redactedValue;
        this.count++;
      } else this.#inValue(value, path, at + 1);
    }
  }

  #inValue(value: Value, path: readonly Segment[], at: number): void {
    const kind = value.kind;
    if (kind.case === "mapValue") this.#inMap(kind.value.fields, path, at);
    else if (kind.case === "listValue") {
      const items = kind.value.values;
      const segment = path[at];
      const indexes = segment === anySegment ? items.keys() : typeof segment === "string" && /^\d+$/.test(segment) ? [Number(segment)] : [];
      for (const i of indexes) {
        const item = items[i];
        if (item === undefined) continue;
        if (at === path.length - 1) {
          items[i] = redactedValue;
          this.count++;
        } else this.#inValue(item, path, at + 1);
      }
    }
  }
}

/** A key lowercased without `-`, `_` and `.`: `X-Api-Key` → `xapikey`. */
function normalisedKey(key: string): string {
  return key.toLowerCase().replace(/[-_.]/g, "");
}

/**
 * Segments of a pino-style path: `a.b`, `a["b-c"]`, `a[0]`, `a[*].b`, `*.b`. A quoted segment is taken
 * as written (`a["*"]` is the key `*`).
 */
export function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  const pattern = /\[\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\]]*))\s*\]|([^.[\]]+)/g;
  for (const match of path.matchAll(pattern)) {
    const quoted = match[1] ?? match[2];
    if (quoted !== undefined) segments.push(quoted.replace(/\\(.)/g, "$1"));
    else {
      const bare = (match[3] ?? match[4] ?? "").trim();
      if (bare !== "") segments.push(bare === "*" ? anySegment : bare);
    }
  }
  return segments;
}
