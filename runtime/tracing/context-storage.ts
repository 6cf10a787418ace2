import { type AsyncLocalStorage, executionAsyncResource } from "node:async_hooks";
import { type Context, context as contextApi, ROOT_CONTEXT } from "@opentelemetry/api";
import { contextAsyncHooks } from "./otel-sdk.js";

/** The storage of our context manager while it is the global one: `trace.span` and our tracer use it directly. */
let storage: AsyncLocalStorage<Context> | undefined;

/**
 * The key under which Node's AsyncLocalStorage (up to Node 22, without AsyncContextFrame) keeps
 * `storage`'s value on the current async resource, when it has one; `undefined` on other Node lines.
 */
let resourceKey: symbol | undefined;

/** What `storage` shows of its implementation: whether it is on (its hook installed), and its key. */
interface ResourceStore {
  readonly enabled?: unknown;
  readonly kResourceStore?: unknown;
}

/**
 * OpenTelemetry's AsyncLocalStorage context manager, every behaviour of it (`with`, `bind`,
 * `attach`), that lets this package's span path read and set the active context on its storage
 * directly while it is the global context manager, past the API's global lookup and two layers of
 * rest arguments (about 100 ns a `trace.span`, measured). `@opentelemetry/api`'s `context.disable()`
 * disables the global manager, which ends the shortcut.
 */
export class OwnContextManager extends contextAsyncHooks.AsyncLocalStorageContextManager {
  /** Makes this manager the global one, if no other is; then the shortcut is on. Returns whether it became global. */
  register(): boolean {
    this.enable();
    if (!contextApi.setGlobalContextManager(this)) {
      this.disable();
      return false;
    }
    // The base keeps its storage in a field its types call private; without it, no shortcut.
    const own = (this as unknown as { _asyncLocalStorage?: AsyncLocalStorage<Context> })._asyncLocalStorage;
    storage = typeof own?.run === "function" && typeof own.getStore === "function" ? own : undefined;
    const key = (storage as ResourceStore | undefined)?.kResourceStore;
    resourceKey = typeof key === "symbol" ? key : undefined;
    return true;
  }

  override disable(): this {
    storage = undefined;
    resourceKey = undefined;
    return super.disable();
  }
}

/** The active context: what `context.active()` gives, read straight from our storage when it is the global one. */
export function activeContext(): Context {
  return storage === undefined ? contextApi.active() : (storage.getStore() ?? ROOT_CONTEXT);
}

/**
 * `fn(a, b)` with `ctx` active: what `context.with(ctx, fn, undefined, a, b)` does, on our storage
 * when it is the global one. Where Node keeps the storage's value on the current async resource
 * (Node 20 and 22), and the storage is on, it sets and restores that value itself, as
 * `AsyncLocalStorage#run` does, without `run`'s second look-up of the store and its rest arguments
 * (about 30 ns a span, measured); elsewhere it calls `run`.
 */
export function withActiveContext<A, B, T>(ctx: Context, fn: (a: A, b: B) => T, a: A, b: B): T {
  if (storage === undefined) return contextApi.with(ctx, fn, undefined, a, b);
  const key = resourceKey;
  if (key === undefined || (storage as ResourceStore).enabled !== true) return storage.run(ctx, fn, a, b);
  const resource = executionAsyncResource() as Record<symbol, unknown>;
  const outer = resource[key];
  resource[key] = ctx;
  try {
    return fn(a, b);
  } finally {
    resource[key] = outer;
  }
}
