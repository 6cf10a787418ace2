import { createSink } from "../../runtime/reliability/sink/sink.js";
import { installProcessExitHooks } from "../../runtime/reliability/process-exit-hooks.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { encodeSeqRecords, type SeqRecord } from "./seq-records.js";

// Modes: "off" (no hooks), "beforeExit" (the script ends), "signal" (a service without a SIGTERM handler),
// "signal-once-before" / "signal-once-after" (the app's process.once handler, added before or after the hooks)
// and "signal-on" (the app's process.on handler): each graceful handler works 300 ms, then the app ends with 0.
// "beforeExit-code" ends the script with process.exitCode = 3. The fourth argument names the signal (SIGTERM).
const [portArg, countArg, mode = "", signalArg = "SIGTERM"] = process.argv.slice(2);
const signal = signalArg as NodeJS.Signals;
const transport = createForwardTransport({ host: "127.0.0.1", port: Number(portArg) });
const sink = createSink<SeqRecord>({ transport, encode: encodeSeqRecords("app.exit"), flushIntervalMs: 600_000, maxBatchRecords: 100_000 });
const service = mode.startsWith("signal") ? setInterval(() => {}, 60_000) : undefined; // a service that would run forever

async function graceful(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  process.stdout.write("graceful done\n");
  if (mode === "signal-on")
    clearInterval(service); // ends as the loop runs dry
  else process.exit(0);
}

if (mode === "signal-once-before") process.once(signal, () => void graceful());
if (mode !== "off") installProcessExitHooks([sink], { timeoutMs: 5000 });
if (mode === "signal-once-after") process.once(signal, () => void graceful());
if (mode === "signal-on") process.on(signal, () => void graceful());
for (let seq = 0; seq < Number(countArg); seq++) sink.enqueue({ seq, msg: "bye" }, 64);
if (mode === "beforeExit-code") process.exitCode = 3;
if (service !== undefined) process.stdout.write("ready\n");
