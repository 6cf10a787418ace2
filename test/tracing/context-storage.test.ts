// Our context manager's shortcut: the span path reads and sets the active context on its storage,
// and sees what the API sees, while it is the global manager; after `context.disable()`, the API's.
import { EventEmitter } from "node:events";
import { context, createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { activeContext, OwnContextManager, withActiveContext } from "../../runtime/tracing/context-storage.js";

const key = createContextKey("test key");

describe("OwnContextManager", () => {
  it("shares the active context with the API, sync and across awaits, keeps bind, and hands the shortcut back on context.disable()", async () => {
    const manager = new OwnContextManager();
    expect(manager.register()).toBe(true);
    expect(new OwnContextManager().register()).toBe(false); // one global manager: the first stays
    const ours = ROOT_CONTEXT.setValue(key, "ours");
    const theirs = ROOT_CONTEXT.setValue(key, "theirs");
    expect(activeContext()).toBe(ROOT_CONTEXT);

    const seen = await withActiveContext(
      ours,
      async (a: string, b: number) => {
        const before = [activeContext(), context.active()];
        await new Promise((resolve) => setTimeout(resolve, 1));
        return [...before, activeContext(), context.active(), a, b];
      },
      "a",
      2,
    );
    expect(seen).toEqual([ours, ours, ours, ours, "a", 2]);
    expect(activeContext()).toBe(ROOT_CONTEXT);
    expect(context.with(theirs, () => activeContext())).toBe(theirs);

    // The storage is on now: nested, across awaits and timers, thrown through, and restored each time.
    const inner = withActiveContext(
      ours,
      (a: number) => {
        const later = new Promise((resolve) => setTimeout(() => resolve([activeContext(), context.active()]), 1));
        const nested = withActiveContext(theirs, () => [activeContext(), context.active()], 0, 0);
        expect(() =>
          withActiveContext(
            theirs,
            () => {
              throw new Error("boom");
            },
            0,
            0,
          ),
        ).toThrow("boom");
        return { a, nested, later, after: activeContext() };
      },
      7,
      0,
    );
    expect([inner.a, inner.nested, inner.after]).toEqual([7, [theirs, theirs], ours]);
    expect(await inner.later).toEqual([ours, ours]);
    expect([activeContext(), context.active()]).toEqual([ROOT_CONTEXT, ROOT_CONTEXT]);

    const emitter = context.bind(ours, new EventEmitter());
    const heard = new Promise((resolve) => emitter.on("x", () => resolve(activeContext())));
    emitter.emit("x");
    expect(await heard).toBe(ours);

    context.disable();
    // No global manager now: the API's no-op manager runs fn without a context, and so does the shortcut.
    expect(withActiveContext(ours, () => [activeContext(), context.active()], 0, 0)).toEqual([ROOT_CONTEXT, ROOT_CONTEXT]);
  });
});
