import { createSink } from "../../runtime/reliability/sink/sink.js";
import { installProcessExitHooks } from "../../runtime/reliability/process-exit-hooks.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { encodeSeqRecords, type SeqRecord } from "./seq-records.js";

const [portArg, countArg, mode] = process.argv.slice(2);
const transport = createForwardTransport({ host: "127.0.0.1", port: Number(portArg) });
const sink = createSink<SeqRecord>({ transport, encode: encodeSeqRecords("app.exit"), flushIntervalMs: 600_000, maxBatchRecords: 100_000 });
if (mode !== "off") installProcessExitHooks([sink], { timeoutMs: 5000 });
for (let seq = 0; seq < Number(countArg); seq++) sink.enqueue({ seq, msg: "bye" }, 64);
if (mode === "signal") {
  setInterval(() => {}, 60_000); // a service that would run forever
  process.stdout.write("ready\n");
}
