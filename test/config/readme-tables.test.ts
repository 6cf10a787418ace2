// The README's configuration tables are the ones the code renders, so they cannot go stale.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderEnvTable, renderServiceDefaultsTable } from "../../runtime/config/index.js";
import { repoRoot } from "../helpers/run-command.js";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");

describe("the README", () => {
  it("shows the service defaults table the code renders", () => {
    expect(readme).toContain(renderServiceDefaultsTable().trim());
  });

  it("shows the environment table the code renders", () => {
    expect(readme).toContain(renderEnvTable().trim());
  });
});
