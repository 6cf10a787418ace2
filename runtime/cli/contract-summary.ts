// Prints the contract summary (`npm run contract:summary`; `npm start` runs the demo): a thin script
// over `emp-telemetry contract`, runnable from source without a build.
import { contractCommand } from "./commands/contract.js";

process.exitCode = await contractCommand([], { stdout: process.stdout, stderr: process.stderr, env: process.env });
