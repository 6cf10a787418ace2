// Import + construct of @emp/telemetry (the built package) in a fresh process; prints ms.
const t0 = performance.now();
const { EmpTelemetryClient } = await import("@emp/telemetry");
const _client = new EmpTelemetryClient({ env: {}, serviceName: "api", serviceType: "api", environment: "t", handleExitSignals: false, registerGlobal: false });
const t1 = performance.now();
console.log(t1 - t0);
process.exit(0);
