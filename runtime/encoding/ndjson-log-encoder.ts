import type { StandardLogEntry } from "../../generated/index.js";
import { nanosToIso } from "../../generated/emp/telemetry/v1/contract_support.js";
import { standardLogEntryToFluentRecord } from "../../generated/emp/telemetry/v1/log_contract.js";
import { OptionProblems } from "../config/option-problems.js";
import type { EncodedBatch } from "../transports/transport.js";
import { wellFormedJson } from "./well-formed-json.js";

/** Options of {@link createNdjsonLogEncoder}; see {@link ndjsonLogEncoderDefaults}. */
export interface NdjsonLogEncoderOptions {
  /** Record key carrying each entry's time (RFC 3339 UTC with nanoseconds); it replaces a field of that name. Default `time`. */
  timeKey?: string;
  /** Record key carrying the tag, or `""` for none. Default `""`. */
  tagKey?: string;
}

/** Defaults of {@link NdjsonLogEncoderOptions}: time under `time` (Fluent Bit's `tail` parsers read it), no tag key. */
export const ndjsonLogEncoderDefaults = Object.freeze({ timeKey: "time", tagKey: "" } as const);

/**
 * Encodes log entries as NDJSON for a file Fluent Bit tails: one line per entry, the contract's
 * Fluentd record (secrets redacted) built by the generated mapper, then `timeKey` (RFC 3339 UTC with
 * nanoseconds) and, when `tagKey` is set, the tag. Strings are made well-formed and line breaks
 * escaped, so each record is exactly one line. Runs off the call path, once per batch.
 *
 * @throws TelemetryConfigError `config_invalid` when a key is not a non-empty string or `tagKey` equals `timeKey`.
 */
export function createNdjsonLogEncoder(tag: string, options: NdjsonLogEncoderOptions = {}): (entries: readonly StandardLogEntry[]) => EncodedBatch {
  const problems = new OptionProblems("NDJSON log encoder");
  problems.unknownKeys(options, ["timeKey", "tagKey"]);
  const timeKey = options.timeKey ?? ndjsonLogEncoderDefaults.timeKey;
  problems.text("timeKey", timeKey, "a record key", '"time"');
  const tagKey = options.tagKey ?? ndjsonLogEncoderDefaults.tagKey;
  if (typeof tagKey !== "string" || (tagKey !== "" && tagKey === timeKey)) problems.add("tagKey", tagKey, 'a record key other than timeKey, or ""', '"tag"');
  problems.throwIfAny();
  return (entries) => {
    let text = "";
    for (const e of entries) {
      const record = standardLogEntryToFluentRecord(e);
      record[timeKey] = nanosToIso(e.timeUnixNano);
      if (tagKey !== "") record[tagKey] = tag;
      text += `${wellFormedJson(record)}\n`;
    }
    const body = Buffer.from(text, "utf8");
    return { body, count: entries.length, bytes: body.byteLength };
  };
}
