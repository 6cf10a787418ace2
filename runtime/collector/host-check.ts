const loopbackNames: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"]);
const wildcards: ReadonlySet<string> = new Set(["0.0.0.0", "::", "[::]"]);

/** `host` as a `Host` header names it: an IPv6 address in brackets, lower-case. */
function hostName(host: string): string {
  const lower = host.toLowerCase();
  return lower.includes(":") && !lower.startsWith("[") ? `[${lower}]` : lower;
}

/**
 * Whether a request's `Host` header names this machine's loopback (`127.0.0.1`, `localhost` or
 * `[::1]`, with or without a port) or the interface the server was told to listen on. A web page
 * that rebinds its own DNS name to 127.0.0.1 still sends its own name, so it is refused: the status
 * API shows recent records. A missing or malformed header is refused too.
 */
export function isAllowedHost(header: string | undefined, listenHost: string): boolean {
  if (header === undefined) return false;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  if (m === null) return false;
  const name = m[1]!.toLowerCase();
  if (loopbackNames.has(name)) return true;
  const configured = hostName(listenHost);
  return !wildcards.has(configured) && name === configured;
}
