import type { PartialSuccess } from "../transport.js";
import { forEachField, wireLengthDelimited as lengthDelimited, wireVarint as varint } from "./protobuf-fields.js";

/**
 * Reads `partial_success` (field 1) from a protobuf-encoded Export{Trace,Logs,Metrics}ServiceResponse.
 *
 * The OTLP protos we generate from (v0.19, shipped in `@opentelemetry/otlp-grpc-exporter-base` 0.38)
 * predate `partial_success` (added in OTLP 0.20 / proto 1.0), so this decodes the wire format by hand:
 * `ExportXPartialSuccess { int64 rejected_<items> = 1; string error_message = 2; }`, the same field
 * numbers for all three signals.
 *
 * Returns `undefined` when the body is empty, has no field 1, or both sub-fields are default (the
 * specification says such a response is a full success). Never throws: a body that is not protobuf
 * (e.g. a JSON or HTML answer from a proxy) also gives `undefined`.
 */
export function decodePartialSuccess(body: Uint8Array): PartialSuccess | undefined {
  if (body.byteLength === 0) return undefined;
  try {
    let found: PartialSuccess | undefined;
    forEachField(body, (field, wireType, value) => {
      if (field === 1 && wireType === lengthDelimited) found = decodeInner(value as Uint8Array);
    });
    return found !== undefined && (found.rejected !== 0 || found.errorMessage !== "") ? found : undefined;
  } catch {
    return undefined; // not protobuf: treated as no partial success (the status code already said 2xx)
  }
}

function decodeInner(bytes: Uint8Array): PartialSuccess {
  let rejected = 0;
  let errorMessage = "";
  forEachField(bytes, (field, wireType, value) => {
    if (field === 1 && wireType === varint) rejected = Number(BigInt.asIntN(64, value as bigint));
    else if (field === 2 && wireType === lengthDelimited) errorMessage = utf8.decode(value as Uint8Array);
  });
  return { rejected, errorMessage };
}

const utf8 = new TextDecoder();

/** The rejected-count key of `partialSuccess` in each signal's JSON response. */
const jsonRejectedKeys = ["rejectedSpans", "rejectedLogRecords", "rejectedDataPoints"] as const;

/**
 * Reads `partialSuccess` from a JSON-encoded Export{Trace,Logs,Metrics}ServiceResponse (OTLP/HTTP
 * JSON): `{"partialSuccess":{"rejectedSpans":"2","errorMessage":"…"}}`, the count as a string (int64 in
 * proto3 JSON) or a number, `rejected_spans` style names accepted too, as the JSON mapping allows.
 * Same results as {@link decodePartialSuccess}: `undefined` for an empty body, no or an empty
 * `partialSuccess`, or a body that is not JSON. Never throws.
 */
export function decodeJsonPartialSuccess(body: Uint8Array): PartialSuccess | undefined {
  if (body.byteLength === 0) return undefined;
  try {
    const response: unknown = JSON.parse(utf8.decode(body));
    const inner = field(response, "partialSuccess", "partial_success");
    if (typeof inner !== "object" || inner === null) return undefined;
    let rejected = 0;
    for (const key of jsonRejectedKeys) {
      const count = Number(
        field(
          inner,
          key,
          key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
        ) ?? 0,
      );
      if (Number.isSafeInteger(count) && count !== 0) rejected = count;
    }
    const message = field(inner, "errorMessage", "error_message");
    const errorMessage = typeof message === "string" ? message : "";
    return rejected !== 0 || errorMessage !== "" ? { rejected, errorMessage } : undefined;
  } catch {
    return undefined; // not JSON: treated as no partial success (the status code already said 2xx)
  }
}

function field(object: unknown, camel: string, snake: string): unknown {
  if (typeof object !== "object" || object === null) return undefined;
  const record = object as Record<string, unknown>;
  return record[camel] ?? record[snake];
}
