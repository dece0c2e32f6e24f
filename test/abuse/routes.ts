import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * Every route and page under app/, read from the filesystem, so a new route is covered by the abuse suite without
 * editing it: its URL (dynamic segments filled with values that exist nowhere), exported methods, the role or token
 * each method needs (from its withAuth / withOpsToken / requireUser call) and its query parameters (from the
 * one-line header comment every route carries, `?name`).
 */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type Gate = "viewer" | "operator" | "admin" | "ops-token" | "none";
export type AppRoute = {
  file: string;
  url: string;
  kind: "api" | "page";
  methods: Method[];
  gates: Partial<Record<Method, Gate>>;
  queryParams: string[];
};

const ROOT = path.resolve(__dirname, "../..");
const PAGE_PARAMS = ["company", "status"];
const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

function toUrl(relDir: string): string {
  const segments = relDir
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .map((s) => (s.startsWith("[...") ? "v2/me" : s.startsWith("[") ? "999999" : s));
  return `/${segments.join("/")}`;
}

function gateOf(chunk: string): Gate | undefined {
  const role = /withAuth[\s\S]*?role:\s*"(viewer|operator|admin)"/.exec(chunk)?.[1] as Gate | undefined;
  if (role) return role;
  if (/withOpsToken\b/.test(chunk)) return "ops-token";
  return undefined;
}

function apiRoute(file: string, text: string): AppRoute {
  const gates: Partial<Record<Method, Gate>> = {};
  const methods: Method[] = [];
  const reExport = /export\s*\{([^}]*)\}/.exec(text)?.[1] ?? "";
  for (const method of METHODS) {
    const start = new RegExp(`export\\s+(const|async function|function)\\s+${method}\\b`).exec(text);
    if (start) {
      methods.push(method);
      const rest = text.slice(start.index + 1);
      const next = /\nexport\s/.exec(rest);
      gates[method] = gateOf(next ? rest.slice(0, next.index) : rest) ?? "none";
    } else if (new RegExp(`as\\s+${method}\\b`).test(reExport)) {
      methods.push(method);
      gates[method] = "none";
    }
  }
  const header = /^(\/\/.*\n)+/.exec(text)?.[0] ?? "";
  const queryParams = [...new Set([...header.matchAll(/\?(\w+)/g)].map((m) => m[1]!))];
  return {
    file,
    url: toUrl(path.dirname(path.relative(path.join(ROOT, "app"), file))),
    kind: "api",
    methods,
    gates,
    queryParams,
  };
}

function pageRoute(file: string, text: string): AppRoute {
  const role = /requireUser\(\s*"(viewer|operator|admin)"/.exec(text)?.[1] as Gate | undefined;
  const url = toUrl(path.dirname(path.relative(path.join(ROOT, "app"), file)));
  const isAdmin = url.startsWith("/admin");
  // searchParams read by the page (`params.x`, `sp.x`, `get("x")`), plus the shell's company switcher and the
  // filters panels commonly keep in the URL.
  const read = [...text.matchAll(/(?:params|searchParams|sp)\.(\w+)|\bget\("(\w+)"\)/g)].map((m) => (m[1] ?? m[2])!);
  const queryParams = [...new Set([...read, ...PAGE_PARAMS])].filter((p) => !["then", "get"].includes(p));
  return {
    file,
    url,
    kind: "page",
    methods: ["GET"],
    gates: { GET: isAdmin ? (role ?? "viewer") : "none" },
    queryParams,
  };
}

export function discoverRoutes(): AppRoute[] {
  return walk(path.join(ROOT, "app"))
    .filter((f) => /[\\/](route\.ts|page\.tsx)$/.test(f))
    .map((file) => {
      const text = readFileSync(file, "utf8");
      return file.endsWith("route.ts") ? apiRoute(file, text) : pageRoute(file, text);
    })
    .sort((a, b) => a.url.localeCompare(b.url));
}
