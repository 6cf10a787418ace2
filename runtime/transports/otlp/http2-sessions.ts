import type { Http2Session } from "node:http2";
import type { Http2SessionManager } from "@connectrpc/connect-node";

type SessionManagerClass = typeof Http2SessionManager;

/** Swallows an HTTP/2 session's `error` events: each call already reports its own failure. */
function ignoreSessionError(): void {}

function guard(session: Http2Session | undefined): void {
  if (session !== undefined && !session.listeners("error").includes(ignoreSessionError)) session.on("error", ignoreSessionError);
}

/**
 * connect-node's `Http2SessionManager` for `baseUrl` (trusting `ca`, PEM, when given) whose every
 * HTTP/2 session keeps an `error` listener for life. connect-node removes its own listeners when a
 * session fails or is aborted, and one `once` listener cannot take the second error a broken session
 * emits (an HTTP/1.1 server on a gRPC endpoint: "Protocol error" after `abort()`): without this, that
 * error is an uncaught exception in the app. The failure of the call itself is still reported by the call.
 */
export function createGuardedSessionManager(Manager: SessionManagerClass, baseUrl: string, ca: string | undefined): Http2SessionManager {
  const manager = new Manager(baseUrl, {}, ca === undefined ? {} : { ca });
  const request = manager.request.bind(manager);
  manager.request = async (...args) => {
    const stream = await request(...args);
    guard(stream.session);
    return stream;
  };
  return manager;
}
