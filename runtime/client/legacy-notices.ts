import type { Diagnostics } from "./stderr-diagnostics.js";

/** Says, once per old form, which call replaces an old client's call. */
export type LegacyNotice = (oldForm: string, newForm: string) => void;

/**
 * The debug-mode notice of the existing client's call shapes: the first use of each old form writes
 * one diagnostics line naming its new form (`diagnostics` is a no-op outside debug mode). O(1) per
 * call after the first; never throws.
 */
export function createLegacyNotices(diagnostics: Diagnostics): LegacyNotice {
  const said = new Set<string>();
  return (oldForm, newForm) => {
    if (said.has(oldForm)) return;
    said.add(oldForm);
    diagnostics(`${oldForm} is the existing client's form; it maps to ${newForm} (see the README, "Migrating from the existing client")`);
  };
}

const noticesOf = new WeakMap<object, LegacyNotice>();

/** Registers a client's notice, so the package's factory functions can name their new form through it. */
export function registerLegacyNotice(client: object, notice: LegacyNotice): void {
  noticesOf.set(client, notice);
}

/** The notice of `client`: a no-op for an unknown object. */
export function legacyNoticeOf(client: object): LegacyNotice {
  return noticesOf.get(client) ?? (() => undefined);
}
