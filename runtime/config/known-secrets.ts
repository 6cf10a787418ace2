import { minScrubbedChars, secretForms } from "./secret-forms.js";

// The process's live secrets, in every form a receiver may echo them ({@link secretForms}): each
// Secret adds its forms when made and they go when it is garbage-collected. Scrubbing texts that
// leave the client against this one set means no caller has to carry the secrets to the place
// where a message is written.

/** What every printable form of a secret shows instead of its value. */
export const redactedText = "[redacted]";

/** How many live secrets hold each form. */
const formOwners = new Map<string, number>();
let knownPattern: RegExp | undefined;
const forgetOnCollect = new FinalizationRegistry<readonly string[]>((forms) => forget(forms));

/** Adds the forms of `value` for as long as `owner` (its Secret) lives. Never throws. */
export function rememberSecret(owner: object, value: string): void {
  if (value.length < minScrubbedChars) return;
  const forms = secretForms(value);
  for (const form of forms) formOwners.set(form, (formOwners.get(form) ?? 0) + 1);
  knownPattern = undefined;
  forgetOnCollect.register(owner, forms);
}

function forget(forms: readonly string[]): void {
  for (const form of forms) {
    const owners = (formOwners.get(form) ?? 1) - 1;
    if (owners > 0) formOwners.set(form, owners);
    else formOwners.delete(form);
  }
  knownPattern = undefined;
}

/** Matches `[redacted]` and each of `secrets`, longest first, so one pass replaces each whole. */
function scrubPattern(secrets: readonly string[]): RegExp {
  const longestFirst = [...secrets].sort((a, b) => b.length - a.length);
  return new RegExp([redactedText, ...longestFirst].map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
}

/**
 * `text` with every form of every live secret replaced by `[redacted]` (longest first, in one pass;
 * an existing `[redacted]` is kept whole). For any text that leaves the client: error messages,
 * health, diagnostics. O(length of text) once the pattern is built. Never throws.
 */
export function scrubKnownSecrets(text: string): string {
  if (formOwners.size === 0 || text.length < minScrubbedChars) return text;
  knownPattern ??= scrubPattern([...formOwners.keys()]);
  return text.replace(knownPattern, redactedText);
}

/**
 * `text` with every non-empty secret of `secrets`, and every live configured secret in each form a
 * receiver may echo ({@link scrubKnownSecrets}), replaced by `[redacted]`, in one pass (longest secret
 * first); an existing `[redacted]` is kept whole, so text scrubbed twice reads the same. Never throws.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const present = secrets.filter((secret) => secret !== "" && text.includes(secret));
  return scrubKnownSecrets(present.length === 0 ? text : text.replace(scrubPattern(present), redactedText));
}
