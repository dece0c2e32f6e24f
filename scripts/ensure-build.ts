import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The production build is reused while no source file is newer than it, so `npm test` builds once for the abuse
// suite (integration) and the end-to-end run.
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SOURCES = [
  "app",
  "lib",
  "components",
  "drizzle",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.mjs",
  "postcss.config.mjs",
  "package.json",
  "package-lock.json",
];

function newest(entry: string): number {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return /\.test\.ts$/.test(entry) ? 0 : stat.mtimeMs;
  return Math.max(0, ...readdirSync(full).map((name) => newest(path.join(entry, name))));
}

export function isBuildCurrent(distDir = process.env.NEXT_DIST_DIR ?? ".next"): boolean {
  const buildId = path.join(ROOT, distDir, "BUILD_ID");
  return existsSync(buildId) && statSync(buildId).mtimeMs > Math.max(...SOURCES.map(newest));
}

/** Builds unless the build is current. Returns the exit status (0 when nothing had to be done). */
export function ensureBuild(
  env: NodeJS.ProcessEnv,
  opts: { inherit?: boolean } = {},
): { status: number; output: string } {
  if (isBuildCurrent(env.NEXT_DIST_DIR)) return { status: 0, output: "" };
  const result = spawnSync("npx", ["next", "build"], {
    cwd: ROOT,
    env,
    stdio: opts.inherit ? "inherit" : "pipe",
    encoding: "utf8",
  });
  return { status: result.status ?? 1, output: `${result.stdout ?? ""}\n${result.stderr ?? ""}` };
}
