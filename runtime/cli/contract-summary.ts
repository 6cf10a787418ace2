// Prints a summary of the contract from the generated code: the main job until the runtime lands.
import { getOption, hasOption, type DescMessage } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import * as contract from "../../generated/index.js";


const lines: string[] = [`emp.telemetry.v1 contract ${contract.CONTRACT_VERSION}`, ""];
let fieldCount = 0;
for (const file of contract.contractFiles) {
  for (const type of nestedTypes(file)) {
    if (type.kind !== "message") continue;
    lines.push(`${type.name}  (${file.name})`);
    for (const field of type.fields) {
      fieldCount++;
      lines.push(`  ${field.name.padEnd(26)} ${describeKey(field.parent, field.name)}`);
    }
  }
}
lines.push("", `${fieldCount} fields; every record carries emp.contract.version=${contract.CONTRACT_VERSION}`);
process.stdout.write(lines.join("\n") + "\n");

function describeKey(message: DescMessage, name: string): string {
  const field = message.fields.find((f) => f.name === name);
  if (field === undefined || !hasOption(field, contract.mapping)) return "(value container)";
  const m = getOption(field, contract.mapping);
  const fluent = m.fluentKey || m.key;
  const where = m.flatten ? "flattened into its parent" : `otlp ${m.key}${fluent !== m.key ? `, fluentd ${fluent}` : ""}`;
  return where + (m.secret ? " [secret]" : "");
}
