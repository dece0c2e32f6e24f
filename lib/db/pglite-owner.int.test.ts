import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireDataDir, clearOwner, DataDirLockedError, isDataDirLocked, readOwner, writeOwner } from "./pglite-owner";

const ROOT = path.resolve(__dirname, "..", "..");
const SPAWN_TIMEOUT = 60_000;

let tmp: string;
let cleanups: (() => Promise<void> | void)[];

beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "pglite-owner-"));
  cleanups = [];
});
afterEach(async () => {
  // Last acquired, first released: socket server, PGlite, lock.
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

async function lockedError(dir: string): Promise<DataDirLockedError> {
  const error = await acquireDataDir(dir).then(
    (release) => {
      cleanups.push(release);
      return null;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataDirLockedError);
  return error as DataDirLockedError;
}

type RunResult = { code: number | null; stdout: string; stderr: string };

/** Runs a project script the way `npm run db:*` does, on the embedded database in `pgliteDir` (no DATABASE_URL). */
function runScript(script: string, pgliteDir: string): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: pgliteDir, DATA_DIR: path.join(tmp, "data") };
  delete env.DATABASE_URL;
  delete env.NEXT_RUNTIME;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", script], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), SPAWN_TIMEOUT - 5_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("acquireDataDir", () => {
  it("lets only one holder own a folder at a time and names the folder when refusing", async () => {
    const dir = path.join(tmp, "pglite");
    const release = await acquireDataDir(dir);
    expect(await isDataDirLocked(dir)).toBe(true);

    const error = await lockedError(dir);
    expect(error.name).toBe("DataDirLockedError");
    expect(error.message).toContain(dir);
    expect(error.message).toContain("is in use by another process");
    expect(error.message).toContain("DATABASE_URL");

    await release();
    expect(await isDataDirLocked(dir)).toBe(false);
    const again = await acquireDataDir(dir);
    cleanups.push(again);
    expect(await isDataDirLocked(dir)).toBe(true);
  });

  it("names the owning process when an owner file exists", async () => {
    const dir = path.join(tmp, "pglite");
    cleanups.push(await acquireDataDir(dir));
    writeOwner(dir, 54321);
    expect(readOwner(dir)).toMatchObject({ pid: process.pid, port: 54321 });
    expect((await lockedError(dir)).message).toContain(`(pid ${process.pid}, started `);
    clearOwner(dir);
    expect(existsSync(`${dir}.owner.json`)).toBe(false);
    expect((await lockedError(dir)).message).not.toContain("(pid");
  });

  it("ignores owner files of dead processes and malformed ones", () => {
    const dir = path.join(tmp, "pglite");
    expect(readOwner(dir)).toBeNull();
    writeFileSync(`${dir}.owner.json`, JSON.stringify({ pid: 2 ** 22 + 12_345, port: 5, startedAt: "x" }));
    expect(readOwner(dir)).toBeNull();
    writeFileSync(`${dir}.owner.json`, JSON.stringify({ pid: process.pid }));
    expect(readOwner(dir)).toBeNull();
  });
});

describe("the guard across processes", () => {
  it(
    "refuses to migrate a folder another process holds without a server",
    async () => {
      const dir = path.join(tmp, "pglite");
      cleanups.push(await acquireDataDir(dir));
      const result = await runScript("scripts/db-migrate.ts", dir);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("is in use by another process");
      expect(result.stderr).toContain("DataDirLockedError");
      // The child never opened the folder: PGlite would have created it.
      expect(existsSync(dir)).toBe(false);
    },
    SPAWN_TIMEOUT,
  );

  it(
    "lets db:seed and db:migrate go through the owner's socket, writing into the owner's database",
    async () => {
      const dir = path.join(tmp, "pglite");
      cleanups.push(await acquireDataDir(dir));
      const pglite = await PGlite.create(dir);
      cleanups.push(() => pglite.close());
      await migrate(drizzle({ client: pglite, casing: "snake_case" }), {
        migrationsFolder: path.join(ROOT, "drizzle", "migrations"),
      });
      const server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port: 0, maxConnections: 8 });
      await server.start();
      cleanups.push(async () => {
        clearOwner(dir);
        await server.stop();
      });
      writeOwner(dir, Number(server.getServerConn().split(":").pop()));

      const seed = await runScript("scripts/db-seed.ts", dir);
      expect(seed.code, seed.stderr).toBe(0);
      expect(seed.stdout).toContain("created: friseur, praxis-am-markt");

      const companies = await pglite.query<{ slug: string; services: number }>(
        "select c.slug, count(s.id)::int as services from companies c left join services s on s.company_id = c.id group by c.slug order by c.slug",
      );
      expect(companies.rows).toEqual([
        { slug: "friseur", services: 18 },
        { slug: "praxis-am-markt", services: 4 },
      ]);

      const migrateRun = await runScript("scripts/db-migrate.ts", dir);
      expect(migrateRun.code, migrateRun.stderr).toBe(0);
      expect(migrateRun.stdout).toContain("The running server owns the embedded database");
    },
    SPAWN_TIMEOUT * 2,
  );
});
