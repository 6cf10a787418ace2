import { inspect } from "node:util";
import { redactedText, rememberSecret } from "./known-secrets.js";

export { redactedText };

/**
 * A secret string (API key, shared key, auth header). The value lives in an ES private field, so
 * `util.inspect` (even with `showHidden`), `JSON.stringify`, `String()`, template literals, spreading
 * and `Object.entries` never see it: they show `[redacted]` or nothing. Code that must send the
 * value reads it explicitly with {@link Secret.reveal}. Being a class, not a `string`, it also
 * keeps the type checker from passing a secret where ordinary text is expected. While it lives, its
 * value (and the forms a receiver may echo: its Bearer credential, Basic `user:password`, URL-encoded)
 * is scrubbed from every text that leaves the client (`scrubKnownSecrets`).
 */
export class Secret {
  readonly #value: string;

  /** Wraps `value`. Never throws. */
  constructor(value: string) {
    this.#value = value;
    rememberSecret(this, value);
    Object.freeze(this);
  }

  /** The secret value itself. Send it; never log it. */
  reveal(): string {
    return this.#value;
  }

  /** `[redacted]`. */
  toString(): string {
    return redactedText;
  }

  /** `[redacted]`, for `JSON.stringify`. */
  toJSON(): string {
    return redactedText;
  }

  /** `[redacted]`, for `util.inspect` and `console.log`. */
  [inspect.custom](): string {
    return redactedText;
  }
}

/** HTTP headers whose secret values are {@link Secret}s; printable as is. */
export type ConfigHeaders = Readonly<Record<string, string | Secret>>;

/**
 * The headers to send: a fresh plain object with every {@link Secret} revealed. Do not log the
 * result. Never throws.
 */
export function revealHeaders(headers: ConfigHeaders): Record<string, string> {
  const revealed: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) revealed[name] = typeof value === "string" ? value : value.reveal();
  return revealed;
}
