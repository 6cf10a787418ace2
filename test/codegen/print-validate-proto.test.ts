import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { clearField, clone, fromBinary, toBinary, toJson } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { file_buf_validate_validate } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "print-validate-proto-"));

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { cwd: root, encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    const stderr = e instanceof Error && "stderr" in e ? String(e.stderr) : "";
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${stderr}`, { cause: e });
  }
}

describe("codegen/print-validate-proto.ts", () => {
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("prints a validate.proto that builds to the embedded file descriptor", { timeout: 60_000 }, () => {
    const protoDir = join(tmp, "proto");
    const image = join(tmp, "image.binpb");
    run("npx", ["tsx", "codegen/print-validate-proto.ts", protoDir]);
    writeFileSync(join(protoDir, "buf.yaml"), "version: v2\n");
    run("npx", ["buf", "build", protoDir, "--as-file-descriptor-set", "--exclude-source-info", "-o", image]);

    const set = fromBinary(FileDescriptorSetSchema, readFileSync(image));
    const found = set.file.find((f) => f.name === "buf/validate/validate.proto");
    expect(found).toBeDefined();
    if (!found) return;
    const built = clone(FileDescriptorProtoSchema, found);
    clearField(built, FileDescriptorProtoSchema.field.sourceCodeInfo);
    const embedded = file_buf_validate_validate.proto;

    // JSON first for a readable diff, then bytes, which include the custom
    // options that only exist as unknown fields of the options messages.
    expect(toJson(FileDescriptorProtoSchema, built)).toEqual(toJson(FileDescriptorProtoSchema, embedded));
    expect(toBinary(FileDescriptorProtoSchema, built)).toEqual(toBinary(FileDescriptorProtoSchema, embedded));
  });

  it("marks the output as generated and is deterministic", { timeout: 60_000 }, () => {
    const dir = join(tmp, "again");
    run("npx", ["tsx", "codegen/print-validate-proto.ts", dir]);
    const first = readFileSync(join(dir, "buf/validate/validate.proto"), "utf8");
    run("npx", ["tsx", "codegen/print-validate-proto.ts", dir]);
    expect(readFileSync(join(dir, "buf/validate/validate.proto"), "utf8")).toBe(first);
    expect(first).toMatch(/^\/\/ Generated from .*@bufbuild\/protovalidate \d+\.\d+\.\d+/);
    expect(first).toContain("DO NOT EDIT");
    expect(first).not.toContain(tmp);
  });
});
