/**
 * Child process for test/reliability/process-exit-hooks.test.ts:
 *   node --import tsx test/helpers/exit-hooks-child.ts <port> <count> <signal|beforeExit|off>
 * Queues <count> records for a forward receiver on 127.0.0.1:<port> with a flush interval far in
 * the future, so only the exit hooks can get them out. `signal` keeps the process alive and prints
 * "ready" for the parent to send SIGTERM; `beforeExit` and `off` just let the script end.
 */
import { createSink, installProcessExitHooks } from "../../runtime/reliability/index.js";
import { createForwardTransport } from "../../runtime/transports/index.js";
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
