import type { SpoolCodec } from "../reliability/spool/spool-codec.js";
import type * as SpoolCodecs from "./spool-codecs.js";

type SpoolCodecsModule = typeof SpoolCodecs;

/** The reading half's module once imported, or why it could not be. */
let loaded: SpoolCodecsModule | Error | undefined;
let loading: Promise<void> | undefined;

/** Imports the module once; never rejects (a failure is kept and thrown by every read). */
function load(): Promise<void> {
  loading ??= import("./spool-codecs.js").then(
    (m) => {
      loaded = m;
    },
    (error: unknown) => {
      loaded = new Error(`cannot load the spool codec: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
  return loading;
}

/**
 * A spool codec that writes with `serialize` (the contract's protobuf encoding, written directly: no
 * protobuf-es) and reads with protobuf-es's `fromBinary`, whose module (protobuf-es and the contract's
 * descriptors) is imported when this is called, i.e. when a spool is configured, not with the client.
 * The spool awaits `ready` before it writes or reads back, so every read finds the module loaded; if
 * the import failed, `deserialize` throws and the spool counts the frame (`corrupt`).
 */
export function lazySpoolCodec<R>(serialize: (record: R) => Uint8Array, pick: (m: SpoolCodecsModule) => (bytes: Uint8Array) => R): SpoolCodec<R> {
  return {
    ready: load(),
    serialize,
    deserialize: (bytes) => {
      if (loaded === undefined) throw new Error("the spool codec is still loading");
      if (loaded instanceof Error) throw loaded;
      return pick(loaded)(bytes);
    },
  };
}
