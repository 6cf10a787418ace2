import { createSink } from "../../runtime/reliability/sink/sink.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { encodeSeqRecords, type SeqRecord } from "./seq-records.js";
import { deserializeSeq, serializeSeq } from "./spool-codec.js";

const [portArg, dir, countArg, maxQueueBytesArg] = process.argv.slice(2);
const count = Number(countArg);
const sink = createSink<SeqRecord>({
  transport: createForwardTransport({ host: "127.0.0.1", port: Number(portArg), connectTimeoutMs: 500 }),
  encode: encodeSeqRecords("app.crash"),
  flushIntervalMs: 10,
  ...(maxQueueBytesArg === undefined ? {} : { maxQueueBytes: Number(maxQueueBytesArg) }), // small: most records spill to disk
  backoff: { initialDelayMs: 10, maxDelayMs: 100 },
  spool: { dir: dir ?? "", maxBytes: 16 * 1024 * 1024, fsync: "always", segmentBytes: 64 * 1024 },
  serialize: serializeSeq,
  deserialize: deserializeSeq,
});
let seq = 0;
const produce = (): void => {
  for (let i = 0; i < 500 && seq < count; i++, seq++) sink.enqueue({ seq, msg: `record ${seq}` }, 64);
  if (seq < count) setImmediate(produce);
  else waitDurable();
};
const waitDurable = (): void => {
  const h = sink.health();
  if ((h.spool?.synced ?? 0) < count) {
    setTimeout(waitDurable, 5);
    return;
  }
  process.stdout.write(`durable ${JSON.stringify(h)}\n`);
};
setInterval(() => {}, 60_000); // a service that would run forever
produce();
