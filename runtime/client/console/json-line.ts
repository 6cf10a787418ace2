import type { StandardLogEntry } from "../../../generated/index.js";
import { standardLogEntryToFluentRecord } from "../../../generated/emp/telemetry/v1/log_contract.js";
import { wellFormedJson } from "../../encoding/well-formed-json.js";

/**
 * One log entry as one JSON line: the plain record the Fluentd sink carries (`timestamp`, `level`,
 * `message`, `service.name`, the data's keys, `exception.*`, …). Pure; throws only on a bug (the
 * caller skips the line).
 */
export function jsonLine(entry: StandardLogEntry): string {
  return wellFormedJson(standardLogEntryToFluentRecord(entry));
}
