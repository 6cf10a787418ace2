import { posix } from "node:path";
import type { DescEnum, DescFile, DescMessage } from "@bufbuild/protobuf";
import { type Project, type SourceFile, StructureKind, type FunctionDeclarationStructure, type OptionalKind } from "ts-morph";

/** Path of the support module inside generated/, beside the contract's files. */
export const supportModule = "emp/telemetry/v1/contract_support.ts";
/** Path of the module holding CONTRACT_VERSION. */
export const versionModule = "emp/telemetry/v1/contract_version.ts";

/** Name of the protoc-gen-es module generated for a proto file: `a/b.proto` → `a/b_pb.ts`. */
export function pbModule(file: DescFile): string {
  return `${file.name}_pb.ts`;
}

/** Name of our module generated for a proto file: `a/b.proto` → `a/b_contract.ts`. */
export function contractModule(file: DescFile): string {
  return `${file.name}_contract.ts`;
}

/** TypeScript name protoc-gen-es gives a message or enum: nested names joined with `_`. */
export function tsTypeName(desc: DescMessage | DescEnum): string {
  const pkg = desc.file.proto.package;
  return (pkg === "" ? desc.typeName : desc.typeName.slice(pkg.length + 1)).replace(/\./g, "_");
}

/**
 * One output file built with ts-morph: collects imports as code asks for names, then prints the
 * source text. Imports are sorted so output is a pure function of the schema.
 */
export class OutputFile {
  readonly path: string;
  private readonly imports = new Map<string, Map<string, boolean>>();
  private readonly constants: string[] = [];
  // Names of the module-level declarations added by declareOnce: state of this file only.
  private readonly declared = new Set<string>();
  private readonly functions: OptionalKind<FunctionDeclarationStructure>[] = [];
  private readonly header: string[] = [];

  constructor(path: string) {
    this.path = path;
  }

  /** Imports `name` from another generated module (path relative to generated/) and returns it. */
  use(modulePath: string, name: string, typeOnly = false): string {
    if (modulePath === this.path) return name;
    let names = this.imports.get(modulePath);
    if (names === undefined) this.imports.set(modulePath, (names = new Map()));
    names.set(name, (names.get(name) ?? true) && typeOnly);
    return name;
  }

  /** Imports `name` from a package. */
  usePackage(specifier: string, name: string, typeOnly = false): string {
    return this.use(`pkg:${specifier}`, name, typeOnly);
  }

  /** Adds raw top-level statements (constants, type aliases) before the functions. */
  addStatement(text: string): void {
    this.constants.push(text);
  }

  /**
   * Adds the module-level declaration `text(name)` the first time `name` is asked for in this file; returns
   * `name`. For constants that several functions of the file share (pre-encoded keys, reserved key sets).
   */
  declareOnce(name: string, text: (name: string) => string): string {
    if (!this.declared.has(name)) {
      this.declared.add(name);
      this.addStatement(text(name));
    }
    return name;
  }

  /** Adds a statement to the top, after the imports. */
  addHeader(text: string): void {
    this.header.push(text);
  }

  /** Adds an exported function. */
  addFunction(fn: OptionalKind<FunctionDeclarationStructure>): void {
    this.functions.push(fn);
  }

  /** Builds the file in the (in-memory) ts-morph project and returns its formatted text. */
  print(project: Project): string {
    const sf: SourceFile = project.createSourceFile(this.path, "", { overwrite: true });
    const specifiers = [...this.imports.keys()].sort();
    for (const key of specifiers) {
      const names = this.imports.get(key);
      if (names === undefined) continue;
      const moduleSpecifier = key.startsWith("pkg:") ? key.slice(4) : relativeImport(this.path, key);
      const sorted = [...names.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      // Only types from a module: `import type`, so the module is not loaded at run time.
      const allTypes = sorted.every(([, typeOnly]) => typeOnly);
      sf.addImportDeclaration({
        kind: StructureKind.ImportDeclaration,
        moduleSpecifier,
        isTypeOnly: allTypes,
        namedImports: sorted.map(([name, typeOnly]) => ({ name, isTypeOnly: typeOnly && !allTypes })),
      });
    }
    sf.addStatements([...this.header, ...this.constants]);
    sf.addFunctions(this.functions);
    sf.formatText({ indentSize: 2, convertTabsToSpaces: true });
    return sf.getFullText();
  }
}

function relativeImport(from: string, to: string): string {
  let rel = posix.relative(posix.dirname(from), to).replace(/\.ts$/, ".js");
  if (!rel.startsWith(".")) rel = `./${rel}`;
  return rel;
}
