import { getOption, hasOption } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import * as contract from "../../generated/index.js";
import { buildAliasTable, contractAliasTable, contractKeys } from "../../runtime/check/alias-table.js";
import { contractMessages } from "../helpers/contract-arbitraries.js";

describe("the alias table", () => {
  it("maps jobId to emp.job.id and machine_id to emp.machine.id, derived from the contract", () => {
    const table = contractAliasTable();
    expect(table.get("jobId")).toBe("emp.job.id");
    expect(table.get("machine_id")).toBe("emp.machine.id");
  });

  it("holds every spelling the issue names for emp.job.id", () => {
    const table = contractAliasTable();
    for (const alias of ["job_id", "jobId", "emp.job_id", "job.id", "jobID"]) expect([alias, table.get(alias)]).toEqual([alias, "emp.job.id"]);
  });

  it("reads its keys from the fields' mapping options at run time", () => {
    const fromDescriptors = contractMessages.flatMap((m) =>
      m.fields.filter((f) => hasOption(f, contract.mapping)).flatMap((f) => [getOption(f, contract.mapping).key, getOption(f, contract.mapping).fluentKey]),
    );
    const keys = contractKeys();
    expect(keys).toEqual(expect.arrayContaining(fromDescriptors.filter((k) => k !== "")));
    expect(keys).toEqual([...new Set(keys)].sort());
  });

  it("points every alias at a contract key and never lists a key as an alias", () => {
    const keys = new Set(contractKeys());
    for (const [alias, key] of contractAliasTable()) {
      expect(keys.has(key)).toBe(true);
      expect(keys.has(alias)).toBe(false);
    }
  });

  it("generates the spellings mechanically from any key's segments", () => {
    const table = buildAliasTable(["emp.widget.serial_id", "service.instance.id", "trace_id"]);
    expect(Object.fromEntries([...table].filter(([, k]) => k === "emp.widget.serial_id"))).toMatchObject({
      "widget.serial_id": "emp.widget.serial_id",
      widget_serial_id: "emp.widget.serial_id",
      widgetSerialId: "emp.widget.serial_id",
      widgetSerialID: "emp.widget.serial_id",
      "emp.widget_serial_id": "emp.widget.serial_id",
    });
    expect(table.get("instanceId")).toBe("service.instance.id");
    expect(table.get("service_instance_id")).toBe("service.instance.id");
    expect(table.get("traceId")).toBe("trace_id");
  });

  it("never makes a one-segment tail an alias", () => {
    const table = buildAliasTable(["emp.health.latency_ms", "emp.job.id"]);
    expect(table.has("latencyMs")).toBe(false);
    expect(table.has("latency_ms")).toBe(false);
    expect(table.has("id")).toBe(false);
  });

  it("drops an alias that would spell two different keys", () => {
    const table = buildAliasTable(["emp.job.id", "job_id.x", "emp.a.job.id"]);
    expect(table.has("job.id")).toBe(false);
    expect(table.get("a.job.id")).toBe("emp.a.job.id");
  });
});
