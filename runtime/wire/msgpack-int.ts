const twoPow32 = 4294967296;

/**
 * Writes a safe integer at `b[p]` in msgpack's smallest int format (positive and negative fixint,
 * (u)int 8/16/32/64) and returns the position after it. The caller made room for 9 bytes; `view` is a
 * DataView over `b`'s whole buffer, `b` starting at its offset 0.
 */
export function writeIntAt(b: Uint8Array, view: DataView, p: number, value: number): number {
  if (value >= 0) {
    if (value < 128) {
      b[p] = value;
      return p + 1;
    } else if (value < 256) {
      b[p] = 0xcc;
      b[p + 1] = value;
      return p + 2;
    } else if (value < 65536) {
      b[p] = 0xcd;
      view.setUint16(p + 1, value);
      return p + 3;
    } else if (value < twoPow32) {
      b[p] = 0xce;
      view.setUint32(p + 1, value);
      return p + 5;
    } else {
      b[p] = 0xcf;
      view.setUint32(p + 1, Math.floor(value / twoPow32));
      view.setUint32(p + 5, value >>> 0);
      return p + 9;
    }
  } else if (value >= -32) {
    b[p] = value & 0xff;
    return p + 1;
  } else if (value >= -128) {
    b[p] = 0xd0;
    view.setInt8(p + 1, value);
    return p + 2;
  } else if (value >= -32768) {
    b[p] = 0xd1;
    view.setInt16(p + 1, value);
    return p + 3;
  } else if (value >= -2147483648) {
    b[p] = 0xd2;
    view.setInt32(p + 1, value);
    return p + 5;
  } else {
    b[p] = 0xd3;
    view.setBigInt64(p + 1, BigInt(value));
    return p + 9;
  }
}
