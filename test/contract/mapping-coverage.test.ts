// Every field of the contract maps onto every target: a new field without a mapping fails here.
import { type DescField, getOption, hasOption } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import * as contract from "../../generated/index.js";
import { contractMessages } from "../helpers/contract-arbitraries.js";

const isValueContainer = (fields: readonly DescField[]): boolean => {
  const parent = fields[0]?.parent;
  return parent !== undefined && hasOption(parent, contract.message_mapping) && getOption(parent, contract.message_mapping).valueContainer;
};

const recordFields = contractMessages.filter((m) => !isValueContainer(m.fields)).flatMap((m) => m.fields);
const keys = recordFields.filter((f) => hasOption(f, contract.mapping)).map((f) => getOption(f, contract.mapping));

describe("the target mappings", () => {
  it("exist on every field of every record message, readable at run time with getOption", () => {
    const missing = recordFields.filter((f) => !hasOption(f, contract.mapping)).map((f) => `${f.parent.typeName}.${f.name}`);
    expect(missing).toEqual([]);
    expect(recordFields.length).toBeGreaterThan(80);
  });

  it("give every field a key unless it is flattened into its parent", () => {
    const keyless = recordFields.filter((f) => {
      const m = getOption(f, contract.mapping);
      return m.key === "" && !m.flatten;
    });
    expect(keyless.map((f) => f.name)).toEqual([]);
  });

  it("only flatten message and map fields", () => {
    const bad = recordFields.filter((f) => getOption(f, contract.mapping).flatten && f.fieldKind !== "message" && f.fieldKind !== "map");
    expect(bad.map((f) => f.name)).toEqual([]);
  });

  it("use OpenTelemetry semantic convention keys where they exist", () => {
    const byField = (msg: string, field: string): string =>
      getOption(contractMessages.find((m) => m.name === msg)!.fields.find((f) => f.name === field)!, contract.mapping).key;
    expect(byField("ServiceMetadata", "name")).toBe("service.name");
    expect(byField("ServiceMetadata", "instance_id")).toBe("service.instance.id");
    expect(byField("ServiceMetadata", "environment")).toBe("deployment.environment.name");
    expect(byField("ServiceMetadata", "host")).toBe("host.name");
    expect(byField("ErrorInfo", "stack")).toBe("exception.stacktrace");
  });

  it("spell each concept with one key: the job id is emp.job.id and no alias appears", () => {
    const all = keys.flatMap((k) => [k.key, k.fluentKey]).filter((k) => k !== "");
    expect(all).toContain("emp.job.id");
    for (const alias of ["job_id", "jobId", "emp.job_id", "job.id", "machine_id", "worker_id", "machineId", "workerId"]) {
      expect(all).not.toContain(alias);
    }
  });

  it("keep our own keys in the emp.* namespace", () => {
    const semconv = /^(service\.|deployment\.|host\.|exception\.|url\.|http\.|otel\.|event\.)/;
    const structural = new Set([
      "timestamp",
      "level",
      "message",
      "trace_id",
      "span_id",
      "parent_span_id",
      "trace_flags",
      "name",
      "kind",
      "start_time_unix_nano",
      "end_time_unix_nano",
      "events",
    ]);
    const stray = keys.map((k) => k.key).filter((k) => k !== "" && !k.startsWith("emp.") && !semconv.test(k) && !structural.has(k));
    expect(stray).toEqual([]);
  });
});
