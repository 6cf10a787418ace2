// Level names are looked up as own keys: a name of Object.prototype is no level.
import { describe, expect, it } from "vitest";
import type { LogLevelName } from "../../runtime/client/client-options.js";
import { createLogApi } from "../../runtime/client/log-api.js";
import { logLevels, type LogWriter } from "../../runtime/client/log-writer.js";
import { createRepairCounts } from "../../runtime/records/repair.js";

/** A writer that records the contract level of each entry. */
function recordingWriter(): { writer: LogWriter; levels: unknown[] } {
  const levels: unknown[] = [];
  const writer = { repairs: createRepairCounts(), write: (level: unknown) => levels.push(level) } as unknown as LogWriter;
  return { writer, levels };
}

const notLevels = ["__proto__", "constructor", "toString", "valueOf", "nope"];

describe("log level names", () => {
  it.each(notLevels)("writes a bridged entry of level %j at info", (name) => {
    const { writer, levels } = recordingWriter();
    const log = createLogApi(writer, "info", () => undefined);
    log.write(name as LogLevelName, "m");
    expect(levels).toEqual([logLevels.info]);
  });

  it.each(notLevels)("takes a level option %j as info", (name) => {
    const { writer, levels } = recordingWriter();
    const log = createLogApi(writer, name as LogLevelName, () => undefined);
    log.debug("skipped");
    log.write("debug", "skipped");
    log.info("kept");
    expect(log.level).toBe("info");
    expect(levels).toEqual([logLevels.info]);
  });

  it("keeps the known levels", () => {
    const { writer, levels } = recordingWriter();
    const log = createLogApi(writer, "debug", () => undefined);
    for (const name of ["debug", "info", "warn", "error", "fatal"] as const) log.write(name, "m");
    expect(levels).toEqual([logLevels.debug, logLevels.info, logLevels.warn, logLevels.error, logLevels.fatal]);
  });
});
