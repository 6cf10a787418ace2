#!/usr/bin/env node
// The `emp-telemetry` executable (package.json `bin`): wires the process to runCli. Works compiled
// (dist/runtime/cli/main.js) and from source (`node --import tsx runtime/cli/main.ts`).
import { runCli } from "./run-cli.js";

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
