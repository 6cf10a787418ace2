/** Shorter strings are not scrubbed from messages: they would blank out ordinary words. */
export const minScrubbedChars = 6;

// `Bearer X`, `Basic X`, `ApiKey X`: an auth scheme, then the credential.
const authSchemePattern = /^([A-Za-z][A-Za-z0-9._-]*) +(\S.*)$/;
const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;
const maxForms = 16;

/**
 * The forms in which a receiver may echo the secret `value` back: the value itself; the credential of
 * an `Authorization` value (`Bearer X` → `X`); for `Basic`, the decoded `user:password` and the
 * password; and each of these URL-encoded and JSON-escaped. Forms shorter than
 * {@link minScrubbedChars} are left out. Pure, never throws.
 */
export function secretForms(value: string): string[] {
  const plain = new Set<string>([value]);
  const scheme = authSchemePattern.exec(value);
  if (scheme?.[2] !== undefined) {
    const credential = scheme[2].trim();
    plain.add(credential);
    if (scheme[1]?.toLowerCase() === "basic") for (const part of basicCredentials(credential)) plain.add(part);
  }
  const forms = new Set<string>();
  for (const form of plain) {
    forms.add(form);
    forms.add(encodeURIComponent(form));
    forms.add(JSON.stringify(form).slice(1, -1));
  }
  return [...forms].filter((form) => form.length >= minScrubbedChars).slice(0, maxForms);
}

/** `user:password` and `password` of a Basic credential, if it decodes to printable text with a colon. */
function basicCredentials(credential: string): string[] {
  if (!base64Pattern.test(credential)) return [];
  const decoded = Buffer.from(credential, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters mean it was not text
  if (colon < 0 || /[\u0000-\u001f\u007f\ufffd]/.test(decoded)) return [];
  return [decoded, decoded.slice(colon + 1)];
}
