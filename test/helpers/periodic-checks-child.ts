/**
 * Child process for test/diagnostics/periodic-checks.test.ts:
 *   node --import tsx test/helpers/periodic-checks-child.ts <fluentd port> <otlp base url>
 * Starts periodic checks every 50 ms and never stops them, printing "report <ok>" per report. The
 * process must still exit on its own: the timers are unref'd.
 */
import { createPipelineTests } from "../../runtime/diagnostics/index.js";
import { diagnosticsConfig } from "./diagnostics-config.js";

const [portArg, otlpUrl] = process.argv.slice(2);
const tests = createPipelineTests(diagnosticsConfig({ fluentd: { port: Number(portArg) }, otlp: { endpoint: otlpUrl ?? "" } }), { timeoutMs: 1000 });
tests.startPeriodicChecks({ intervalMs: 50, onReport: (report) => process.stdout.write(`report ${String(report.ok)}\n`) });
