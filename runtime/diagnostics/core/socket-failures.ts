/**
 * What kind of socket failure a caught value is, found by walking its `cause` chain (at most 8
 * links) for a Node error `code`:
 * - `refused`: nothing listens on the port (`ECONNREFUSED`);
 * - `dns`: the host name does not resolve (`ENOTFOUND`, `EAI_AGAIN`);
 * - `unreachable`: no route (`EHOSTUNREACH`, `ENETUNREACH`, `EHOSTDOWN`, `ENETDOWN`, `EADDRNOTAVAIL`);
 * - `reset`: the peer reset or closed the connection (`ECONNRESET`, `EPIPE`, `ECONNABORTED`, "socket hang up");
 * - `tls`: a TLS handshake or certificate failure (`ERR_SSL_*`, `EPROTO`, certificate codes);
 * - `http_parse`: the peer's answer is not HTTP (`HPE_*`);
 * - `other`: anything else.
 */
export type SocketFailureKind = "refused" | "dns" | "unreachable" | "reset" | "tls" | "http_parse" | "other";

const byCode: Readonly<Record<string, SocketFailureKind>> = Object.freeze({
  ECONNREFUSED: "refused",
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  EHOSTUNREACH: "unreachable",
  ENETUNREACH: "unreachable",
  EHOSTDOWN: "unreachable",
  ENETDOWN: "unreachable",
  EADDRNOTAVAIL: "unreachable",
  ECONNRESET: "reset",
  EPIPE: "reset",
  ECONNABORTED: "reset",
  ERR_SOCKET_CLOSED: "reset",
  EPROTO: "tls",
  DEPTH_ZERO_SELF_SIGNED_CERT: "tls",
  SELF_SIGNED_CERT_IN_CHAIN: "tls",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "tls",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "tls",
  CERT_HAS_EXPIRED: "tls",
  CERT_NOT_YET_VALID: "tls",
  ERR_TLS_CERT_ALTNAME_INVALID: "tls",
});

/** Classifies a caught value; see {@link SocketFailureKind}. Never throws. */
export function socketFailureKind(reason: unknown): SocketFailureKind {
  let current: unknown = reason;
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    const code: unknown = (current as { code?: unknown }).code;
    if (typeof code === "string") {
      const kind = byCode[code];
      if (kind !== undefined) return kind;
      if (code.startsWith("ERR_SSL_")) return "tls";
      if (code.startsWith("HPE_")) return "http_parse";
    }
    current = (current as { cause?: unknown }).cause;
  }
  return "other";
}

/** The message of a caught value (its `code` when it has no message), for "other" failures. */
export function reasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message !== "" ? reason.message : reason.name;
  return String(reason);
}
