import { inspect } from "node:util";

/**
 * Freezes `target` and makes `util.inspect` and `JSON.stringify` of it show `show()` instead (the
 * two hooks are non-enumerable, so spreading and `Object.entries` skip them). For resolved options
 * that hold secrets: the values stay usable, every printed form is redacted. Never throws.
 */
export function withRedactedView<T extends object>(target: T, show: () => unknown): Readonly<T> {
  Object.defineProperties(target, {
    [inspect.custom]: { value: (_depth: number, inspectOptions: object) => inspect(show(), inspectOptions) },
    toJSON: { value: show },
  });
  return Object.freeze(target);
}
