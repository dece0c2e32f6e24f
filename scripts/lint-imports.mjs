// npm run lint (after tsc) – import rules the type checker cannot see. Plain Node, no dependencies.
//   1. A "use client" file must not import, directly or through local modules, a module with `import "server-only"`.
//   2. No test file may contain `.only(` (it would silently skip the rest of the suite in CI).
//   3. Files under app/api and app/admin must not import another route file (page, layout, route, ...): shared
//      logic belongs in lib/.
// Type-only imports (`import type`, `import { type A }`) are ignored: they vanish at compile time.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SKIP_DIRS = new Set(["node_modules", "test-results", "playwright-report", "coverage", "dist", "build", "out"]);
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/;
const RESOLVE_SUFFIXES = ["", ".ts", ".tsx", ".js", ".jsx", ".mjs", "/index.ts", "/index.tsx", "/index.js"];
const ROUTE_FILE = /^(?:page|layout|template|loading|error|global-error|not-found|default|route)\.[jt]sx?$/;

function listFiles(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || SKIP_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, out);
    else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/** Blanks out comments (keeping newlines, so offsets and line numbers stay right); strings are kept. */
function stripComments(text) {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      while (i < text.length && text[i] !== "\n") {
        out += " ";
        i++;
      }
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && !(c !== "`" && text[j] === "\n")) j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const cache = new Map();
/** Reads and parses one module once: its directive, whether it imports server-only, and its imports. */
function parse(file) {
  let parsed = cache.get(file);
  if (parsed) return parsed;
  const code = stripComments(readFileSync(file, "utf8"));
  const head = code.trimStart();
  const imports = [];
  const lineOf = (index) => code.slice(0, index).split("\n").length;
  // Import clauses hold only identifiers, braces, commas, "*" and the words as/type: nothing else may sit in between.
  const fromClause = /\b(import|export)(\s+[\w\s{},*$]*?)\bfrom\s*(["'])([^"'\n]+)\3/g;
  for (const m of code.matchAll(fromClause)) {
    const clause = m[2].trim();
    if (m[1] === "export" && !/^(?:type\s+)?(?:\*|\{)/.test(clause)) continue;
    imports.push({ spec: m[4], line: lineOf(m.index), typeOnly: isTypeOnly(clause) });
  }
  for (const m of code.matchAll(/(?:^|[;\n])\s*import\s*(["'])([^"'\n]+)\1/g)) {
    imports.push({ spec: m[2], line: lineOf(m.index + m[0].indexOf("import")), typeOnly: false });
  }
  for (const m of code.matchAll(/\bimport\s*\(\s*(["'])([^"'\n]+)\1\s*\)/g)) {
    imports.push({ spec: m[2], line: lineOf(m.index), typeOnly: false });
  }
  parsed = {
    isClient: /^["']use client["']/.test(head),
    isServerAction: /^["']use server["']/.test(head),
    isServerOnly: imports.some((i) => i.spec === "server-only"),
    imports: imports.sort((a, b) => a.line - b.line),
  };
  cache.set(file, parsed);
  return parsed;
}

function isTypeOnly(clause) {
  if (/^type\s/.test(clause)) return true;
  const braces = clause.match(/^\{([\s\S]*)\}$/);
  if (!braces) return false;
  const names = braces[1]
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length > 0 && names.every((n) => /^type\s/.test(n));
}

/** "@/x" from the repository root, "./x" from the importing file; packages resolve to null. */
function resolve(spec, fromFile) {
  let base;
  if (spec.startsWith("@/")) base = path.join(ROOT, spec.slice(2));
  else if (spec.startsWith("./") || spec.startsWith("../")) base = path.resolve(path.dirname(fromFile), spec);
  else return null;
  for (const suffix of RESOLVE_SUFFIXES) {
    const candidate = base + suffix;
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** The chain of local modules from `file` to a server-only module, or null. */
function serverOnlyChain(file, seen = new Set()) {
  if (seen.has(file)) return null;
  seen.add(file);
  const mod = parse(file);
  if (mod.isServerOnly) return [file];
  for (const imp of mod.imports) {
    if (imp.typeOnly) continue;
    const target = resolve(imp.spec, file);
    // A "use server" module reaches the browser as references to server actions, not as code.
    if (!target || parse(target).isServerAction) continue;
    const chain = serverOnlyChain(target, seen);
    if (chain) return [file, ...chain];
  }
  return null;
}

const rel = (file) => path.relative(ROOT, file).split(path.sep).join("/");
const files = listFiles(ROOT);
const problems = [];

for (const file of files) {
  const name = rel(file);
  const mod = parse(file);

  if (mod.isClient) {
    for (const imp of mod.imports) {
      if (imp.typeOnly) continue;
      if (imp.spec === "server-only") {
        problems.push(`${name}:${imp.line}: "use client" file imports "server-only"`);
        continue;
      }
      const target = resolve(imp.spec, file);
      const chain = target && !parse(target).isServerAction ? serverOnlyChain(target) : null;
      if (chain) {
        const via = chain.length > 1 ? ` (via ${chain.slice(0, -1).map(rel).join(" -> ")})` : "";
        problems.push(`${name}:${imp.line}: "use client" file imports server-only module ${rel(chain.at(-1))}${via}`);
      }
    }
  }

  if (TEST_FILE.test(name)) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, index) => {
        if (line.includes(".only(")) problems.push(`${name}:${index + 1}: focused test (.only() left in a test file`);
      });
  }

  if (name.startsWith("app/api/") || name.startsWith("app/admin/")) {
    for (const imp of mod.imports) {
      if (imp.typeOnly) continue;
      const target = resolve(imp.spec, file);
      if (target && target !== file && rel(target).startsWith("app/") && ROUTE_FILE.test(path.basename(target))) {
        problems.push(`${name}:${imp.line}: imports route file ${rel(target)}; move the shared code to lib/`);
      }
    }
  }
}

if (problems.length) {
  console.error(`lint-imports: ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`lint-imports: ok (${files.length} files)`);
