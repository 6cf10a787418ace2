import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { ConnectRouter, ContextKey, ContextValues } from "@connectrpc/connect";
import type { Compression } from "@connectrpc/connect/protocol";
import { loadConnect, loadConnectNode } from "../package/optional-dependencies.js";

/** The gRPC length prefix: 1 byte of flags (bit 0: compressed), 4 bytes of big-endian length. */
const prefixBytes = 5;
const compressedFlag = 1;

/** A request handler of `node:http2`'s compatibility API. */
export type Http2Handler = (req: Http2ServerRequest, res: Http2ServerResponse) => void;

/** Whether the screen of a request already admitted its items (then the handler must not admit them again). */
export interface ScreenState {
  admitted: boolean;
}

/** What {@link screenedGrpcBody} needs: the bounds, gzip, how to count a message's items and how to admit them. */
export interface GrpcScreenOptions {
  /** Largest message, compressed and decompressed (connect-node's `readMaxBytes`). */
  readonly readMaxBytes: number;
  /** connect-node's gzip: bounded by `readMaxBytes` after decompression, its errors as gRPC statuses. */
  readonly gzip: Compression;
  /** The records and nested items of a decompressed message (without decoding it), or throws the `ConnectError` to answer. */
  readonly count: (message: Uint8Array) => { readonly records: number; readonly items: number };
  /** Admits `count` records holding `items` nested items or throws the `ConnectError` to answer. */
  readonly admit: (count: number, items: number) => void;
  /** A `ConnectError` with a `RESOURCE_EXHAUSTED` status. */
  readonly tooLarge: (message: string) => Error;
}

/**
 * The body of one unary gRPC request, read and checked before connect-node decodes it: a message
 * longer than `readMaxBytes` (by its length prefix, or by the bytes that arrive) throws
 * RESOURCE_EXHAUSTED at once; a gzip message is decompressed with connect-node's own gzip (stopped
 * past `readMaxBytes`: RESOURCE_EXHAUSTED); its items are counted on the wire and admitted (the
 * admission's refusal is thrown), so a few KB of gzip holding millions of records never reach
 * protobuf-es. What is yielded is the message uncompressed, for connect-node to decode. A body this
 * does not understand (no or several messages, compressed without gzip) is passed through unchanged
 * for connect-node to refuse; `state.admitted` stays false then.
 */
export async function* screenedGrpcBody(
  body: AsyncIterable<Uint8Array>,
  encoding: string | null,
  options: GrpcScreenOptions,
  state: ScreenState,
): AsyncGenerator<Uint8Array> {
  const { readMaxBytes } = options;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    chunks.push(chunk);
    if (size > readMaxBytes + prefixBytes) throw options.tooLarge(`message size is larger than configured readMaxBytes ${readMaxBytes}`);
    if (chunks.length === 1 || size - chunk.byteLength < prefixBytes) {
      const head = Buffer.concat(chunks);
      if (head.byteLength >= prefixBytes && head.readUInt32BE(1) > readMaxBytes) {
        throw options.tooLarge(`message size ${head.readUInt32BE(1)} is larger than configured readMaxBytes ${readMaxBytes}`);
      }
    }
  }
  const raw = Buffer.concat(chunks);
  const flags = raw[0] ?? 0;
  const single = raw.byteLength >= prefixBytes && raw.readUInt32BE(1) === raw.byteLength - prefixBytes;
  const compressed = (flags & compressedFlag) === compressedFlag;
  if (!single || (compressed && encoding !== options.gzip.name)) {
    yield raw;
    return;
  }
  const payload = raw.subarray(prefixBytes);
  const message = compressed ? await options.gzip.decompress(payload, readMaxBytes) : payload;
  const { records, items } = options.count(message);
  options.admit(records, items);
  state.admitted = true;
  if (!compressed) {
    yield raw;
    return;
  }
  const plain = Buffer.allocUnsafe(prefixBytes + message.byteLength);
  plain[0] = flags & ~compressedFlag;
  plain.writeUInt32BE(message.byteLength, 1);
  plain.set(message, prefixBytes);
  yield plain;
}

/** What {@link createScreenedGrpcHandler} serves. */
export interface ScreenedGrpcHandlerOptions extends Omit<GrpcScreenOptions, "gzip" | "count" | "tooLarge"> {
  /** The items of a decompressed request message to the RPC at `path` (e.g. `/…TraceService/Export`). */
  readonly count: (path: string, message: Uint8Array) => { readonly records: number; readonly items: number };
  readonly routes: (router: ConnectRouter, screened: ContextKey<ScreenState>) => void;
  /** Answers a request for a path with no RPC. */
  readonly fallback: Http2Handler;
}

/**
 * A Node HTTP/2 request handler serving `routes` over gRPC only (no Connect, no gRPC-web), as
 * connect-node's `connectNodeAdapter` does, but with each request body passed through
 * {@link screenedGrpcBody} first; gzip is the only compression accepted, unknown protobuf fields are
 * skipped, not kept. Handlers read `context.values.get(screened).admitted` to know whether the items
 * were admitted already. Rejects with a `MissingDependencyError` without connect-node.
 */
export async function createScreenedGrpcHandler(options: ScreenedGrpcHandlerOptions): Promise<Http2Handler> {
  const { universalRequestFromNodeRequest, universalResponseToNodeResponse, compressionGzip } = await loadConnectNode();
  const { Code, ConnectError, createConnectRouter, createContextKey, createContextValues } = await loadConnect();
  const { readMaxBytes } = options;
  const router = createConnectRouter({
    grpc: true,
    grpcWeb: false,
    connect: false,
    readMaxBytes,
    acceptCompression: [compressionGzip],
    binaryOptions: { readUnknownFields: false },
  });
  const screened = createContextKey<ScreenState>({ admitted: false });
  options.routes(router, screened);
  const handlers = new Map(router.handlers.map((h) => [h.requestPath, h]));
  const tooLarge = (message: string): Error => new ConnectError(message, Code.ResourceExhausted);
  return (req, res) => {
    const path = (req.url ?? "").split("?", 1)[0] ?? "";
    const handler = handlers.get(path);
    if (handler === undefined) {
      options.fallback(req, res);
      return;
    }
    const state: ScreenState = { admitted: false };
    const values: ContextValues = createContextValues().set(screened, state);
    const request = universalRequestFromNodeRequest(req, res, undefined, values);
    const count = (message: Uint8Array): { readonly records: number; readonly items: number } => options.count(path, message);
    const screen: GrpcScreenOptions = { readMaxBytes, gzip: compressionGzip, count, admit: options.admit, tooLarge };
    const body = screenedGrpcBody(request.body as AsyncIterable<Uint8Array>, request.header.get("grpc-encoding"), screen, state);
    handler({ ...request, body })
      .then((response) => universalResponseToNodeResponse(response, res))
      .catch(() => {
        // The client went away mid-answer: nothing to tell it.
        res.destroy();
      });
  };
}
