import { createPipelineTests } from "../../runtime/diagnostics/pipeline-tests.js";
import { diagnosticsConfig } from "./diagnostics-config.js";

const [portArg, otlpUrl] = process.argv.slice(2);
const tests = createPipelineTests(diagnosticsConfig({ fluentd: { port: Number(portArg) }, otlp: { endpoint: otlpUrl ?? "" } }), { timeoutMs: 1000 });
tests.startPeriodicChecks({ intervalMs: 50, onReport: (report) => process.stdout.write(`report ${String(report.ok)}\n`) });
