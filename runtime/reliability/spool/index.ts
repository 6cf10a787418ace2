export { DiskSpool } from "./disk-spool.js";
export type { RecoveredSegment, SpoolCodec, SpoolHealth } from "./disk-spool.js";
export { decodeFrames, encodeFrames, frameHeaderBytes, maxFramePayloadBytes } from "./spool-frame.js";
export type { DecodedFrames } from "./spool-frame.js";
export { resolveSpoolOptions, spoolDefaults } from "./spool-options.js";
export type { ResolvedSpoolOptions, SpoolFsync, SpoolOptions } from "./spool-options.js";
export { listSegments, segmentPath } from "./segment-files.js";
export type { SegmentFile } from "./segment-files.js";
