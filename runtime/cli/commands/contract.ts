import { getOption, hasOption, type DescMessage } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import * as contract from "../../../generated/index.js";
import { cliExitCodes, parseCommandArgs, usageError, type CliCommand } from "../cli-command.js";

const usage = `usage: emp-telemetry contract

Prints the contract (emp.telemetry.v1): every message, each field and its key on each target
(OTLP attribute, Fluentd record key when different, flattened, secret), and the contract version.

options:
  -h, --help  this help (the command takes no other option)
`;

function describeKey(message: DescMessage, name: string): string {
  const field = message.fields.find((f) => f.name === name);
  if (field === undefined || !hasOption(field, contract.mapping)) return "(value container)";
  const m = getOption(field, contract.mapping);
  const fluent = m.fluentKey || m.key;
  const where = m.flatten ? "flattened into its parent" : `otlp ${m.key}${fluent !== m.key ? `, fluentd ${fluent}` : ""}`;
  return where + (m.secret ? " [secret]" : "");
}

/**
 * The contract summary as text: a heading with the version, then per message of
 * `contract.contractFiles` (schema order) its fields and their target keys, then the field count.
 * Pure (reads only the generated descriptors).
 */
export function renderContractSummary(): string {
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
  lines.push("", `${String(fieldCount)} fields; every record carries emp.contract.version=${contract.CONTRACT_VERSION}`);
  return `${lines.join("\n")}\n`;
}

/** `emp-telemetry contract`: prints {@link renderContractSummary}. Takes no arguments. Exit 0, or 2 on arguments. */
export const contractCommand: CliCommand = async (argv, io) => {
  const parsed = await parseCommandArgs("contract", argv, {}, usage, io);
  if (typeof parsed === "number") return parsed;
  if (parsed.positionals.length > 0) return usageError(io, "contract", `unexpected argument ${parsed.positionals[0] ?? ""}`, usage);
  io.stdout.write(renderContractSummary());
  return cliExitCodes.ok;
};
