/** `v instanceof Error`, false when asking throws (a revoked Proxy, a Proxy whose `getPrototypeOf` throws). */
export function isError(v: unknown): v is Error {
  try {
    return v instanceof Error;
  } catch {
    return false;
  }
}
