import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import path from "node:path";
import { ensureBuild } from "../../scripts/ensure-build";
import { createDatabase, dropDatabase } from "../pg-admin";

/**
 * A production server for the abuse suite, as an operator deploys it: `next start` on a free port with its own fresh
 * PostgreSQL database (DATABASE_URL), every secret set, and its log captured so tests can scan it. The build in
 * .next is reused while current (scripts/ensure-build.ts); npm test type-checks first, so the build skips that.
 */
export type AbuseServer = {
  url: string;
  databaseUrl: string;
  env: Record<string, string>;
  /** Everything the server printed so far (stdout and stderr). */
  log: () => string;
  stop: () => Promise<void>;
};

const ROOT = path.resolve(__dirname, "../..");

function buildIfStale(): void {
  const env = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    E2E_SKIP_TYPECHECK: "1",
  } as NodeJS.ProcessEnv;
  const result = ensureBuild(env);
  if (result.status !== 0) throw new Error(`next build failed:\n${result.output}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const secret = (bytes = 24) => randomBytes(bytes).toString("base64url");

/** The server's environment; `before` runs against its database after it has migrated and before the tests. */
export async function startAbuseServer(extraEnv: Record<string, string> = {}): Promise<AbuseServer> {
  buildIfStale();
  const databaseUrl = await createDatabase("calcomdiag_abuse");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    APP_URL: url,
    APP_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    AUTH_SECRET: secret(32),
    OPS_API_TOKEN: secret(),
    SANDBOX_CONTROL_TOKEN: secret(),
    CALCOM_SANDBOX_ENABLED: "true",
    ADMIN_EMAIL: "admin@abuse.test",
    ADMIN_PASSWORD: secret(),
    ...extraEnv,
  };
  const chunks: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: `next start` runs the server in a child process, and stop() ends both.
      detached: true,
    },
  );
  child.stdout?.on("data", (d: Buffer) => chunks.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => chunks.push(d.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const group = -child.pid;
      process.kill(group, "SIGTERM");
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          try {
            process.kill(group, "SIGKILL");
          } catch {
            // already gone
          }
          resolve(null);
        }, 5_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve(null);
        });
      });
    }
    if (!process.env.KEEP_TEST_DB) await dropDatabase(databaseUrl);
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${chunks.join("")}`);
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer /api/health within 90 s:\n${chunks.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { url, databaseUrl, env, log: () => chunks.join(""), stop };
}
