// Validator texts ("value must not be in list [0]") as sentences about the record key.
import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { StandardLogEntrySchema, validateStandardLogEntry } from "../../generated/index.js";
import { readableViolation } from "../../runtime/collector/readable-violation.js";

describe("readableViolation", () => {
  it("names the key and says what is wrong for the generated validator's own violations", () => {
    const entry = create(StandardLogEntrySchema, { message: "" });
    const texts = validateStandardLogEntry(entry).map((v) => readableViolation(v));
    expect(texts).toEqual(
      expect.arrayContaining([
        "`time_unix_nano` is missing or zero",
        "`level` is not set (the value is the enum's unspecified 0)",
        "`message` is empty",
        "`service` is missing",
      ]),
    );
    expect(texts).toContain("`contract_version` must be a version like 1.2.3");
    for (const t of texts) expect(t).not.toMatch(/^value |value must|list \[0\]/);
  });

  it("prefers the record key, and keeps the text of a rule it does not know", () => {
    expect(
      readableViolation({ path: "service.name", key: "service.name", rule: "string.max_len", message: "value length must be at most 256 characters" }),
    ).toBe("`service.name` is longer than 256 characters");
    expect(
      readableViolation({ path: "trace.trace_id", key: "trace_id", rule: "string.pattern", message: "value does not match regex pattern `^[0-9a-f]{32}$`" }),
    ).toBe("`trace_id` must be 32 lowercase hex digits");
    expect(readableViolation({ path: "x", rule: "cel.custom", message: "custom text" })).toBe("`x` custom text");
    expect(readableViolation({ path: "", rule: "emp.ndjson.syntax", message: "not JSON: Unexpected token" })).toBe("not JSON: Unexpected token");
  });
});
