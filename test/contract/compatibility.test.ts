// Readers tolerate records written by a newer minor version of the contract: fields they do not
// know are kept and forwarded, never a violation, never an error.
import { fromBinary, fromJson, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";

/** A JobEvent as contract 1.2 might write it: with a field 11 (`queue`) this reader does not know. */
function newerJobEventBytes(): Uint8Array {
  const known = toBinary(c.JobEventSchema, c.buildJobEvent({ lifecycle: c.JobLifecycle.STARTED, jobId: "job-1", workerId: "w-1" }));
  const extra = new BinaryWriter().tag(11, WireType.LengthDelimited).string("gpu-queue-a").finish();
  return new Uint8Array([...known, ...extra]);
}

describe("an older reader", () => {
  it("validates a newer record's known fields and ignores the added one", () => {
    const m = fromBinary(c.JobEventSchema, newerJobEventBytes());
    expect(m.jobId).toBe("job-1");
    expect(c.validateJobEvent(m)).toEqual([]);
    expect(c.jobEventToAttributes(m)).toMatchObject({ "emp.job.id": "job-1", "emp.job.lifecycle": "started" });
  });

  it("forwards the added field unchanged when it re-encodes the record", () => {
    const bytes = newerJobEventBytes();
    expect(toBinary(c.JobEventSchema, fromBinary(c.JobEventSchema, bytes))).toEqual(bytes);
  });

  it("reads newer JSON with added fields when told to ignore unknown fields", () => {
    const json = { lifecycle: "JOB_LIFECYCLE_STARTED", jobId: "job-1", queue: "gpu-queue-a" };
    const m = fromJson(c.JobEventSchema, json, { ignoreUnknownFields: true });
    expect(c.validateJobEvent(m)).toEqual([]);
  });

  it("accepts a newer minor contract version on a record", () => {
    const entry = c.buildStandardLogEntry({
      timeUnixNano: 1n,
      level: c.LogLevel.INFO,
      message: "m",
      service: { name: "api", type: c.ServiceType.API, environment: "test" },
      contractVersion: "1.9.0",
    });
    expect(c.validateStandardLogEntry(entry)).toEqual([]);
  });
});
