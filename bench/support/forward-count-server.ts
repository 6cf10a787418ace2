// A forward-protocol receiver in its own process, for benchmarks: decodes every frame with
// @msgpack/msgpack (Message, Forward, PackedForward, CompressedPackedForward), acks chunks, and
// answers the parent's `{ get: prefix }` IPC messages with the number of records received under tags
// starting with that prefix. It decodes every entry of a packed body too, unless started with the
// argument `frames`: it then counts them by the frame's `size` option, as the OTLP receivers count
// nothing, for benchmarks of the sender's CPU (decoding every entry, it falls behind a client logging
// at full speed, which then holds a growing backlog).
import { createServer, type Socket } from "node:net";
import { gunzipSync } from "node:zlib";
import { decodeMulti, decodeMultiStream, encode } from "@msgpack/msgpack";

const counts = new Map<string, number>();
const framesOnly = process.argv[2] === "frames";

function countEntries(frame: unknown[]): [string, number] {
  const tag = String(frame[0]);
  const body = frame[1];
  if (body instanceof Uint8Array) {
    const options = (frame[2] ?? {}) as Record<string, unknown>;
    if (framesOnly && typeof options.size === "number") return [tag, options.size];
    const bytes = options.compressed === "gzip" ? gunzipSync(body) : body;
    let n = 0;
    for (const _ of decodeMulti(bytes)) n++;
    return [tag, n];
  }
  if (Array.isArray(body)) return [tag, body.length];
  return [tag, 1];
}

async function serve(socket: Socket): Promise<void> {
  socket.on("error", () => undefined);
  try {
    for await (const frame of decodeMultiStream(socket)) {
      if (!Array.isArray(frame)) continue;
      const [tag, n] = countEntries(frame);
      counts.set(tag, (counts.get(tag) ?? 0) + n);
      const options = frame[frame.length - 1] as Record<string, unknown> | undefined;
      if (options !== null && typeof options === "object" && "chunk" in options) socket.write(encode({ ack: options.chunk }));
    }
  } catch {
    socket.destroy();
  }
}

const server = createServer((s) => void serve(s));
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address !== null ? address.port : 0 });
});
process.on("message", (m: { get?: string; exit?: boolean }) => {
  if (m.exit === true) process.exit(0);
  if (typeof m.get === "string") {
    let count = 0;
    for (const [tag, n] of counts) if (tag.startsWith(m.get)) count += n;
    process.send?.({ tag: m.get, count });
  }
});
