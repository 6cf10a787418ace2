import { afterEach } from "vitest";

/**
 * A list to push cleanups onto (close a receiver, a transport…); after each test they run in
 * reverse order and the list empties. Call once at the top of a test file.
 */
export function cleanupsAfterEach(): Array<() => Promise<unknown>> {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return cleanups;
}
