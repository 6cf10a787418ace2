import { crc32 } from "node:zlib";

/**
 * Bytes in front of every spooled payload: a 4-byte magic (`F5 53 50 31`, "\xF5SP1", never valid
 * UTF-8, so it does not occur in JSON text), the payload length (uint32 big-endian) and a CRC-32
 * (uint32 big-endian) over the length bytes and the payload.
 */
export const frameHeaderBytes = 12;

/** Largest payload a frame may declare (a bigger length is read as corruption), in bytes: 256 MiB. */
export const maxFramePayloadBytes = 256 * 1024 * 1024;

/** The 4 bytes every frame starts with. */
export const frameMagic: Buffer = Buffer.from([0xf5, 0x53, 0x50, 0x31]);
const magic = frameMagic;

function checksum(frame: Buffer, payloadStart: number, payloadEnd: number): number {
  return crc32(frame.subarray(payloadStart, payloadEnd), crc32(frame.subarray(payloadStart - 8, payloadStart - 4)));
}

/**
 * Frames `payloads` back to back into one new buffer (`frameHeaderBytes + length` each), ready to
 * be appended to a segment in one write. Pure; never throws for payloads up to
 * {@link maxFramePayloadBytes} (the caller's serializer is trusted to stay below it).
 */
export function encodeFrames(payloads: readonly Uint8Array[]): Buffer {
  let total = 0;
  for (const payload of payloads) total += frameHeaderBytes + payload.byteLength;
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const payload of payloads) {
    magic.copy(out, offset);
    out.writeUInt32BE(payload.byteLength, offset + 4);
    out.set(payload, offset + frameHeaderBytes);
    const end = offset + frameHeaderBytes + payload.byteLength;
    out.writeUInt32BE(checksum(out, offset + frameHeaderBytes, end), offset + 8);
    offset = end;
  }
  return out;
}

/** What {@link decodeFrames} found in a segment. */
export interface DecodedFrames {
  /** The payloads of the intact frames, in order (views into the input). */
  readonly payloads: Uint8Array[];
  /**
   * Corrupt regions skipped: a bad magic, an impossible length, a CRC mismatch or a frame cut short
   * at the end of the file (a write interrupted by a crash). Consecutive bad bytes up to the next
   * intact frame count once.
   */
  readonly corrupt: number;
}

/**
 * Reads every intact frame of a segment. On a bad frame it counts one corruption and resynchronises
 * at the next magic whose frame checks out, so one damaged frame costs only itself. Never throws.
 */
export function decodeFrames(bytes: Uint8Array): DecodedFrames {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const payloads: Uint8Array[] = [];
  let corrupt = 0;
  let inBadRegion = false;
  let offset = 0;
  while (offset < buf.length) {
    const end = intactFrameEnd(buf, offset);
    if (end > 0) {
      payloads.push(buf.subarray(offset + frameHeaderBytes, end));
      offset = end;
      inBadRegion = false;
      continue;
    }
    if (!inBadRegion) corrupt++;
    inBadRegion = true;
    const next = buf.indexOf(magic, offset + 1);
    if (next < 0) break;
    offset = next;
  }
  return { payloads, corrupt };
}

/** End offset of the intact frame at `offset` (magic, length within `buf`, CRC), or -1. Never throws. */
export function intactFrameEnd(buf: Buffer, offset: number): number {
  if (buf.length - offset < frameHeaderBytes || buf.compare(magic, 0, 4, offset, offset + 4) !== 0) return -1;
  const length = buf.readUInt32BE(offset + 4);
  const start = offset + frameHeaderBytes;
  if (length > maxFramePayloadBytes || start + length > buf.length) return -1;
  return checksum(buf, start, start + length) === buf.readUInt32BE(offset + 8) ? start + length : -1;
}
