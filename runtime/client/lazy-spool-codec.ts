import type { SpoolCodec } from "../reliability/spool/spool-codec.js";
import type * as SpoolCodecs from "./spool-codecs.js";

type SpoolCodecsModule = typeof SpoolCodecs;

/** The codecs module once imported, or why it could not be. */
let loaded: SpoolCodecsModule | Error | undefined;
let loading: Promise<void> | undefined;

/** Imports the codecs module once; never rejects (a failure is kept and thrown by every codec call). */
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

/** The codec `pick` chooses, or throws when its module is not loaded (yet, or at all). */
function codecOf<R>(pick: (m: SpoolCodecsModule) => SpoolCodec<R>): SpoolCodec<R> {
  if (loaded === undefined) throw new Error("the spool codec is still loading");
  if (loaded instanceof Error) throw loaded;
  return pick(loaded);
}

/**
 * A spool codec whose module (protobuf-es and the contract's descriptors) is imported when this is
 * called, i.e. when a spool is configured, not with the client. The spool awaits `ready` before it
 * writes or reads back; until then (a record spilled in the first milliseconds) and if the import
 * failed, `serialize` and `deserialize` throw, which the spool counts (`serializeErrors`, `corrupt`).
 */
export function lazySpoolCodec<R>(pick: (m: SpoolCodecsModule) => SpoolCodec<R>): SpoolCodec<R> {
  return {
    ready: load(),
    serialize: (record) => codecOf(pick).serialize(record),
    deserialize: (bytes) => codecOf(pick).deserialize(bytes),
  };
}
