#!/usr/bin/env node
// Entry point buf runs (see buf.gen.yaml): reads a CodeGeneratorRequest on stdin, writes the response.
import { runNodeJs } from "@bufbuild/protoplugin";
import { protocGenEmpTelemetry } from "./protoc-gen-emp-telemetry.js";

runNodeJs(protocGenEmpTelemetry);
