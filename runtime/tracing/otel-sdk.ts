// The OpenTelemetry SDK packages the client sets its tracing up with, `require`d rather than
// `import`ed: they are CommonJS, and importing a CommonJS package from an ES module makes Node's ESM
// loader read and lex each one's entry file for its export names, and wrap it, on top of loading it.
// Requiring them skips that (bench `import`). They are the same module instances whichever way an
// application loads them (one CommonJS cache), so `instanceof` and the global registrations hold.
// `@opentelemetry/api` stays imported: applications and libraries import it too.
import { createRequire } from "node:module";

const requireCjs = createRequire(import.meta.url);

/** `@opentelemetry/context-async-hooks`: the context manager that follows async work. */
export const contextAsyncHooks = requireCjs("@opentelemetry/context-async-hooks") as typeof import("@opentelemetry/context-async-hooks");
