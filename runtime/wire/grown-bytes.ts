/**
 * `bytes` with room for at least `needed` bytes: itself when it has it, else a buffer of twice its
 * size (or more, a power-of-two multiple) holding its first `used` bytes. For the growable writers
 * (msgpack, protobuf) that write into one buffer and double it as needed.
 */
export function grownBytes(bytes: Uint8Array, used: number, needed: number): Uint8Array {
  if (needed <= bytes.length) return bytes;
  let capacity = bytes.length * 2;
  while (capacity < needed) capacity *= 2;
  const next = new Uint8Array(capacity);
  next.set(bytes.subarray(0, used));
  return next;
}
