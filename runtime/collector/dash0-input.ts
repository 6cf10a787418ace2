import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { CollectorIntake } from "./collector-records.js";
import { listen, type RunningServer } from "./listening.js";
import { createOtlpHttpHandler, type OtlpAuthorizer } from "./otlp-http-input.js";

/** Options of {@link startDash0Input}. */
export interface Dash0InputOptions {
  readonly host: string;
  readonly port: number;
  readonly maxBodyBytes: number;
  /** The one token accepted as `Authorization: Bearer <token>`. Secret: never shown in a response or count. */
  readonly token: string;
  /** Dataset the token may write to; `""` allows any. */
  readonly dataset: string;
}

/** Dataset Dash0 uses when a request names none. */
export const dash0DefaultDataset = "default";

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/**
 * The Dash0 ingress check: `Authorization: Bearer <token>` (401 when missing or wrong, compared in
 * constant time) and, when a dataset is configured, `Dash0-Dataset` (absent means `default`; 403
 * when the token may not write there). Responses never echo the token.
 */
export function dash0Authorizer(token: string, dataset: string): OtlpAuthorizer {
  const expected = digest(token);
  return (req: IncomingMessage) => {
    const header = req.headers.authorization ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (match === null) return { status: 401, reason: "missing Authorization: Bearer <token>", headers: { "www-authenticate": "Bearer" } };
    if (!timingSafeEqual(digest(match[1]!.trim()), expected)) return { status: 401, reason: "unknown auth token", headers: { "www-authenticate": "Bearer" } };
    const asked = (req.headers["dash0-dataset"] as string | undefined)?.trim() || dash0DefaultDataset;
    if (dataset !== "" && asked !== dataset) return { status: 403, reason: `token may not write to dataset ${JSON.stringify(asked.slice(0, 100))}` };
    return undefined;
  };
}

/**
 * Starts the Dash0 stand-in: OTLP/HTTP as {@link createOtlpHttpHandler} serves it (hop `dash0`),
 * behind {@link dash0Authorizer}. Rejects only when the port cannot be bound.
 */
export function startDash0Input(options: Dash0InputOptions, intake: CollectorIntake): Promise<RunningServer> {
  const handler = createOtlpHttpHandler("dash0", intake, options.maxBodyBytes, dash0Authorizer(options.token, options.dataset));
  return listen(createServer(handler), options.host, options.port, "Dash0");
}
