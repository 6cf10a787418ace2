// Generated validator vs protovalidate-es on the same StandardLogEntry messages (valid and invalid).
import { createValidator } from "@bufbuild/protovalidate";
import * as c from "../generated/index.js";
import { race, report } from "./harness.js";

const valid = c.buildStandardLogEntry({
  timeUnixNano: 1764314558123456789n,
  level: c.LogLevel.INFO,
  message: "Server started",
  service: { name: "api-server", type: c.ServiceType.API, environment: "production", version: "1.4.2", instanceId: "i-1", host: "api-7f9c" },
  trace: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1 },
  data: c.mapValueFromPlain({ port: 3001, "emp.job.id": "job-42", ok: true }).fields,
});
const invalid = c.buildStandardLogEntry({
  ...valid,
  $typeName: undefined,
  message: "",
  trace: c.buildTraceContext({ traceId: "0".repeat(32), spanId: "xyz" }),
} as never);
const messages = [valid, valid, valid, invalid];

const oracle = createValidator();
let sink = 0;
const results = race(
  [
    {
      name: "protovalidate-es",
      run: (n) => {
        for (let i = 0; i < n; i++) sink += oracle.validate(c.StandardLogEntrySchema, messages[i & 3]!).kind === "valid" ? 1 : 0;
      },
    },
    {
      name: "generated validateStandardLogEntry",
      run: (n) => {
        for (let i = 0; i < n; i++) sink += c.validateStandardLogEntry(messages[i & 3]!).length === 0 ? 1 : 0;
      },
    },
  ],
  { rounds: 15, opsPerRound: 20_000 },
);
process.stdout.write(
  `${report("validator", "Validator: generated vs protovalidate-es (StandardLogEntry, 3 valid : 1 invalid)", results, "protovalidate-es")}\n`,
);
if (sink < 0) process.stdout.write(String(sink));
