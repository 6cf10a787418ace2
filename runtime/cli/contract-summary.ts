// Prints the contract summary (`npm start`): a thin script over `emp-telemetry contract`.
import { contractCommand } from "./commands/contract.js";

process.exitCode = await contractCommand([], { stdout: process.stdout, stderr: process.stderr, env: process.env });
