// The graph of relative static imports between our TypeScript files, and the strongly connected components in it.
// Static means `import ... from`, `import type ... from`, `import "x"` and `export ... from` (type-only included: a
// type-only cycle still ties two modules together). Dynamic `import("x")` is left out on purpose: it is how the
// runtime loads transports, diagnostics and the collector lazily, and it runs no module code at load time.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** A token of TypeScript source, as far as finding import declarations needs: names, string literals, punctuation. */
interface Token {
  readonly kind: "name" | "string" | "punct";
  readonly text: string;
}

const keywordsBeforeRegex = new Set(["return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "instanceof", "yield", "await"]);
const isNameStart = (ch: string): boolean => /[A-Za-z_$\u0080-\uffff]/.test(ch);
const isNamePart = (ch: string): boolean => /[\w$\u0080-\uffff]/.test(ch);

/** Reads a quoted string starting at `start` (the quote); returns its value and the index after the closing quote. */
function readQuoted(src: string, start: number): { value: string; end: number } {
  const quote = src[start];
  let value = "";
  let i = start + 1;
  while (i < src.length && src[i] !== quote) {
    if (src[i] === "\\") i++;
    value += src[i] ?? "";
    i++;
  }
  return { value, end: i + 1 };
}

/** Skips a regular expression literal starting at `start` (the slash); returns the index after its flags. */
function skipRegex(src: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < src.length && src[i] !== "\n") {
    const ch = src[i];
    if (ch === "\\") i++;
    else if (ch === "[") inClass = true;
    else if (ch === "]") inClass = false;
    else if (ch === "/" && !inClass) break;
    i++;
  }
  i++;
  while (i < src.length && isNamePart(src[i] ?? "")) i++;
  return i;
}

/**
 * Splits source into tokens, skipping comments, regular expressions and the text of template literals (code inside
 * `${...}` is tokenized), so an import written inside a string (as codegen emits them) is not taken for one.
 */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  // One entry per open `{` or `${`: true when its `}` resumes a template literal.
  const braces: boolean[] = [];
  const regexMayFollow = (): boolean => {
    const last = tokens.at(-1);
    if (last === undefined) return true;
    if (last.kind === "name") return keywordsBeforeRegex.has(last.text);
    if (last.kind === "string") return false;
    return last.text !== ")" && last.text !== "]" && last.text !== "template" && last.text !== "regex";
  };
  // Skips template text from `i` up to the closing backtick (returns the index after it) or a `${` (pushes a brace).
  const skipTemplate = (from: number): number => {
    let i = from;
    while (i < src.length) {
      const ch = src[i];
      if (ch === "\\") i += 2;
      else if (ch === "`") return i + 1;
      else if (ch === "$" && src[i + 1] === "{") {
        braces.push(true);
        return i + 2;
      } else i++;
    }
    return i;
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i] ?? "";
    const next = src[i + 1];
    if (/\s/.test(ch)) i++;
    else if (ch === "/" && next === "/") i = src.indexOf("\n", i) === -1 ? src.length : src.indexOf("\n", i);
    else if (ch === "/" && next === "*") i = src.indexOf("*/", i + 2) === -1 ? src.length : src.indexOf("*/", i + 2) + 2;
    else if (ch === "/" && regexMayFollow()) {
      i = skipRegex(src, i);
      tokens.push({ kind: "punct", text: "regex" });
    } else if (ch === '"' || ch === "'") {
      const { value, end } = readQuoted(src, i);
      tokens.push({ kind: "string", text: value });
      i = end;
    } else if (ch === "`") {
      i = skipTemplate(i + 1);
      tokens.push({ kind: "punct", text: "template" });
    } else if (isNameStart(ch)) {
      let end = i + 1;
      while (end < src.length && isNamePart(src[end] ?? "")) end++;
      tokens.push({ kind: "name", text: src.slice(i, end) });
      i = end;
    } else if (/\d/.test(ch)) {
      let end = i + 1;
      while (end < src.length && /[\w.]/.test(src[end] ?? "")) end++;
      tokens.push({ kind: "name", text: src.slice(i, end) });
      i = end;
    } else if (ch === "{") {
      braces.push(false);
      tokens.push({ kind: "punct", text: ch });
      i++;
    } else if (ch === "}" && braces.pop() === true) {
      i = skipTemplate(i + 1);
      tokens.push({ kind: "punct", text: "template" });
    } else {
      tokens.push({ kind: "punct", text: ch });
      i++;
    }
  }
  return tokens;
}

// The tokens an import or export clause is made of, between the keyword and `from`.
const clauseTokens = new Set(["type", "as", "*", "{", "}", ","]);

/** The module specifiers of every static import and re-export in `src` (see the file comment for what counts). */
export function staticImportSpecifiers(src: string): string[] {
  const tokens = tokenize(src);
  const specifiers: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const keyword = tokens[i];
    if (keyword?.kind !== "name" || (keyword.text !== "import" && keyword.text !== "export")) continue;
    if (tokens[i - 1]?.text === ".") continue;
    const first = tokens[i + 1];
    if (keyword.text === "import" && first?.kind === "string") {
      specifiers.push(first.text);
      continue;
    }
    // `export` needs `*` or `{` (or `type` then one of them) to be a re-export; `import` needs anything but `(` and `.`.
    if (keyword.text === "export" && !(first?.text === "*" || first?.text === "{" || first?.text === "type")) continue;
    if (keyword.text === "import" && (first?.text === "(" || first?.text === ".")) continue;
    let j = i + 1;
    while (j < tokens.length) {
      const token = tokens[j];
      if (token === undefined) break;
      if (token.kind === "name" && token.text === "from" && tokens[j + 1]?.kind === "string") {
        specifiers.push(tokens[j + 1]?.text ?? "");
        break;
      }
      if (token.kind === "name" || clauseTokens.has(token.text)) {
        j++;
        continue;
      }
      break;
    }
  }
  return specifiers;
}

/** Every `.ts` file under `dir`, recursively, as absolute paths, sorted. */
export function typeScriptFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...typeScriptFilesUnder(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out.sort();
}

/**
 * The `.ts` file a relative specifier names from `fromFile`, as NodeNext resolution maps it: `x.js` is `x.ts`, a
 * folder is its `index.ts`. Undefined for packages and for files that are not TypeScript (JSON, for instance).
 */
export function resolveRelativeImport(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const target = resolve(dirname(fromFile), specifier);
  const candidates = [target.replace(/\.js$/, ".ts"), target.replace(/\.mjs$/, ".mts"), target, `${target}.ts`, join(target, "index.ts")];
  return candidates.find((path) => /\.m?ts$/.test(path) && existsSync(path) && statSync(path).isFile());
}

/** File → the files it imports statically; only files in the scanned set appear, as paths relative to `rootDir`. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** The import graph of every `.ts` file under `dirs` (relative to `rootDir`). */
export function buildImportGraph(rootDir: string, dirs: readonly string[]): ImportGraph {
  const files = dirs.flatMap((dir) => typeScriptFilesUnder(join(rootDir, dir)));
  const scanned = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const specifier of staticImportSpecifiers(readFileSync(file, "utf8"))) {
      const target = resolveRelativeImport(file, specifier);
      if (target !== undefined && scanned.has(target)) targets.add(relative(rootDir, target));
    }
    graph.set(relative(rootDir, file), [...targets].sort());
  }
  return graph;
}

/** The strongly connected components of `graph` with more than one file or a self-import (Tarjan's algorithm). */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    lowLink.set(file, index.get(file) ?? 0);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        lowLink.set(file, Math.min(lowLink.get(file) ?? 0, lowLink.get(target) ?? 0));
      } else if (onStack.has(target)) {
        lowLink.set(file, Math.min(lowLink.get(file) ?? 0, index.get(target) ?? 0));
      }
    }
    if (lowLink.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) components.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return components.sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""));
}

/** One shortest import path from `component[0]` back to itself through the component, as `a → b → a`. */
export function exampleCycle(graph: ImportGraph, component: readonly string[]): string {
  const members = new Set(component);
  const start = component[0] ?? "";
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift() ?? "";
    for (const target of graph.get(file) ?? []) {
      if (!members.has(target) || previous.has(target)) continue;
      previous.set(target, file);
      if (target === start) {
        queue.length = 0;
        break;
      }
      queue.push(target);
    }
  }
  const path: string[] = [];
  for (let file = previous.get(start); file !== undefined && file !== start; file = previous.get(file)) path.unshift(file);
  return [start, ...path, start].join(" → ");
}

/** The folder a file belongs to at the level where folders are layers: `runtime/config/x.ts` → `runtime/config`, `runtime/index.ts` → `runtime`. */
export function areaOf(file: string): string {
  const segments = file.split("/");
  return segments.slice(0, segments.length > 2 ? 2 : 1).join("/");
}

/** `graph` with each file replaced by its group (imports within a group dropped); `why` names one file import per edge. */
export function collapseGraph(graph: ImportGraph, groupOf: (file: string) => string): { graph: ImportGraph; why: ReadonlyMap<string, string> } {
  const edges = new Map<string, Set<string>>();
  const why = new Map<string, string>();
  for (const [file, targets] of graph) {
    const from = groupOf(file);
    const out = edges.get(from) ?? new Set<string>();
    edges.set(from, out);
    for (const target of targets) {
      const to = groupOf(target);
      if (to === from) continue;
      out.add(to);
      if (!why.has(`${from} → ${to}`)) why.set(`${from} → ${to}`, `${file} → ${target}`);
    }
  }
  return { graph: new Map([...edges].map(([group, targets]) => [group, [...targets].sort()])), why };
}
