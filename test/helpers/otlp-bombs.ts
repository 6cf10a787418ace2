/** OTLP request bodies of many empty records, for the collector's bomb tests (a few KB of gzip, millions of records). */
import { gzipSync } from "node:zlib";

/** Protobuf varint bytes of `n`. */
export function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** `ExportLogsServiceRequest` with one resource, one scope and `count` empty log records, in protobuf wire format. */
export function otlpLogsRequest(count: number): Buffer {
  const records = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) records[i * 2] = 0x12; // log_records (2), length 0
  const scope = Buffer.concat([Buffer.from([0x12, ...varint(records.length)]), records]);
  return Buffer.concat([Buffer.from([0x0a, ...varint(scope.length)]), scope]);
}

/** {@link otlpLogsRequest}, gzipped. */
export function otlpLogsBomb(count: number): Buffer {
  return gzipSync(otlpLogsRequest(count), { level: 9 });
}
