import type { TraceState } from "@opentelemetry/api";

// W3C Trace Context `tracestate`, as `@opentelemetry/core`'s TraceState keeps it: at most 32 members
// and 512 characters, invalid members dropped, parsed on first use, the latest set member first.
const maxMembers = 32;
const maxLength = 512;
const keyChars = "[_0-9a-z-*/]";
const keyPattern = new RegExp(`^(?:[a-z]${keyChars}{0,255}|[a-z0-9]${keyChars}{0,240}@[a-z]${keyChars}{0,13})$`);
const valuePattern = /^[ -~]{0,255}[!-~]$/;

const isValidMember = (key: string, value: string): boolean => keyPattern.test(key) && valuePattern.test(value) && !/[,=]/.test(value);

/** Parses a raw header: the members in header order (first = latest), within the limits. */
function parse(raw: string): { members: Map<string, string>; length: number } {
  const reversed = new Map<string, string>();
  let length = 0;
  for (const part of raw.split(",")) {
    const member = part.trim();
    const eq = member.indexOf("=");
    if (eq === -1) continue;
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!isValidMember(key, value)) continue;
    const next = length + member.length + (reversed.size > 0 ? 1 : 0);
    if (next > maxLength) continue;
    reversed.set(key, value);
    length = next;
    if (reversed.size >= maxMembers) break;
  }
  return { members: new Map([...reversed].reverse()), length };
}

/** An immutable W3C `tracestate` (the API's TraceState interface). */
export class W3CTraceState implements TraceState {
  #raw: string;
  #length: number;
  /** Oldest member first (Map insertion order); serialized in reverse. */
  #members: Map<string, string> | undefined;

  constructor(raw?: string, members?: Map<string, string>, length?: number) {
    this.#raw = raw ?? "";
    this.#members = members;
    this.#length = length ?? this.#raw.length;
  }

  #state(): Map<string, string> {
    if (this.#members === undefined) {
      const { members, length } = parse(this.#raw);
      this.#members = members;
      this.#length = length;
    }
    return this.#members;
  }

  set(key: string, value: string): W3CTraceState {
    if (!isValidMember(key, value)) return this;
    const state = this.#state();
    const current = state.get(key);
    const length = this.#length + (current === undefined ? key.length + value.length + (state.size > 0 ? 2 : 1) : value.length - current.length);
    if (length > maxLength) return this;
    const next = new Map(state);
    next.delete(key);
    next.set(key, value);
    return new W3CTraceState(undefined, next, length);
  }

  unset(key: string): W3CTraceState {
    const state = this.#state();
    const current = state.get(key);
    if (current === undefined) return this;
    const length = this.#length - (key.length + current.length + 1) - (state.size > 1 ? 1 : 0);
    const next = new Map(state);
    next.delete(key);
    return new W3CTraceState(undefined, next, length);
  }

  get(key: string): string | undefined {
    return this.#state().get(key);
  }

  serialize(): string {
    return Array.from(this.#state(), ([key, value]) => `${key}=${value}`)
      .reverse()
      .join(",");
  }
}
