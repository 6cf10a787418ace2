import { describe, expect, it } from "vitest";
import { renderEnvTable, telemetryConfigEnv } from "../../runtime/config/env-table.js";
import { renderServiceDefaultsTable, serviceTypeDefaults, serviceTypes } from "../../runtime/config/service-defaults.js";

describe("serviceTypeDefaults", () => {
  it("is frozen, rows and all", () => {
    expect(Object.isFrozen(serviceTypeDefaults)).toBe(true);
    for (const type of serviceTypes) expect(Object.isFrozen(serviceTypeDefaults[type])).toBe(true);
  });

  it("requires MACHINE_ID for machines and workers only", () => {
    expect(serviceTypes.filter((type) => serviceTypeDefaults[type].requiresMachineId)).toEqual(["machine", "worker"]);
  });

  it("requires WORKER_ID for workers only", () => {
    expect(serviceTypes.filter((type) => serviceTypeDefaults[type].requiresWorkerId)).toEqual(["worker"]);
  });
});

describe("renderServiceDefaultsTable", () => {
  it("lists all four service types as columns", () => {
    const header = renderServiceDefaultsTable().split("\n")[0];
    expect(header).toBe("| setting | `api` | `webhook` | `machine` | `worker` |");
  });

  it("gives every row a cell per service type", () => {
    const lines = renderServiceDefaultsTable().trimEnd().split("\n");
    for (const line of lines) expect(line.split(" | ")).toHaveLength(5);
  });
});

describe("renderEnvTable", () => {
  it("lists every variable the configuration reads", () => {
    const table = renderEnvTable();
    for (const name of Object.keys(telemetryConfigEnv)) expect(table).toContain(`| \`${name}\` |`);
  });
});
