// Checks shared by the daemon configuration renderers (Fluentd, OTel Collector): the values they
// write into a configuration file must not be able to break out of it.

/** A Dash0 dataset name (also a Fluentd/OTel Collector config token): 1..128 letters, digits, `.`, `_` or `-`. */
export const datasetPattern = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * `text` parsed as an `http:` or `https:` URL without credentials and without any character that
 * `unsafe` matches (quotes, `$`, whitespace: what would end or expand a config value); undefined
 * when it is not one.
 */
export function plainHttpUrl(text: string, unsafe: RegExp): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const plain = (url.protocol === "https:" || url.protocol === "http:") && url.username === "" && url.password === "" && !unsafe.test(text);
  return plain ? url : undefined;
}
