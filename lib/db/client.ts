import { mkdirSync } from "node:fs";
import path from "node:path";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { getDataDir } from "@/lib/config/data-dir";
import { getEnv } from "@/lib/config/env";
import { acquireDataDir, clearOwner, DataDirLockedError, readOwner, writeOwner } from "./pglite-owner";
import type { Db } from "./types";

type DbKind = "postgres" | "pglite" | "pglite-via-server";
export type DbHandle = {
  db: Db;
  kind: DbKind;
  close: () => Promise<void>;
  /** postgres / pglite-via-server: the connection string (the job queue opens its own small pool). */
  url?: string;
  /** pglite: the embedded instance (the job queue shares it). */
  pglite?: import("@electric-sql/pglite").PGlite;
};
/** server: the app process, which owns an embedded database and serves it to tools. tool: scripts and the CLI. */
export type DbRole = "server" | "tool";

const MIGRATIONS = path.join(/*turbopackIgnore: true*/ process.cwd(), "drizzle", "migrations");
const MIGRATION_LOCK_ID = 7_342_001;

type Global = typeof globalThis & { __calcomDb?: Promise<DbHandle>; __calcomBeforeClose?: Set<() => Promise<void>> };
const g = globalThis as Global;

function getPgliteDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ getEnv().PGLITE_DIR ?? path.join(getDataDir(), "pglite"));
}

/** The process-wide database, opened and migrated on first use. */
export function getDbHandle(role: DbRole = process.env.NEXT_RUNTIME ? "server" : "tool"): Promise<DbHandle> {
  g.__calcomDb ??= openDb(role).catch((error: unknown) => {
    g.__calcomDb = undefined;
    throw error;
  });
  return g.__calcomDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Something that holds connections of its own (the job queue) stops before the database closes. */
export function registerBeforeClose(fn: () => Promise<void>): () => void {
  g.__calcomBeforeClose ??= new Set();
  g.__calcomBeforeClose.add(fn);
  return () => g.__calcomBeforeClose?.delete(fn);
}

export async function closeDb(): Promise<void> {
  for (const fn of [...(g.__calcomBeforeClose ?? [])]) await fn().catch(() => {});
  const handle = g.__calcomDb;
  g.__calcomDb = undefined;
  if (handle) await (await handle).close();
}

async function openDb(role: DbRole): Promise<DbHandle> {
  const url = getEnv().DATABASE_URL;
  const handle = url ? await openPostgres(url, "postgres") : await openEmbedded(role);
  await runMigrations(handle, url);
  return handle;
}

async function openPostgres(url: string, kind: DbKind): Promise<DbHandle> {
  const client = postgres(url, {
    max: getEnv().DB_POOL_MAX,
    onnotice: () => {},
    connection: { application_name: "calcom-diagnostics" },
  });
  const db = drizzlePostgres({ client, casing: "snake_case" }) as unknown as Db;
  return { db, kind, url, close: () => client.end({ timeout: 5 }) };
}

async function openEmbedded(role: DbRole): Promise<DbHandle> {
  const dir = getPgliteDir();
  mkdirSync(path.dirname(dir), { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await acquireDataDir(dir);
  } catch (error) {
    const owner = error instanceof DataDirLockedError ? readOwner(dir) : null;
    if (role === "tool" && owner) {
      // The server owns the folder; go through the socket it serves instead of opening the files twice.
      return openPostgres(`postgres://postgres@127.0.0.1:${owner.port}/postgres`, "pglite-via-server");
    }
    throw error;
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const pglite = await PGlite.create(dir);
  const db = drizzlePglite({ client: pglite, casing: "snake_case" }) as unknown as Db;
  let stopSocket = async () => {};
  if (role === "server") stopSocket = await serveToTools(pglite, dir);
  const close = async () => {
    await stopSocket();
    await pglite.close();
    await release();
  };
  return { db, kind: "pglite", pglite, close };
}

async function serveToTools(pglite: import("@electric-sql/pglite").PGlite, dir: string): Promise<() => Promise<void>> {
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port: 0, maxConnections: 8 });
  await server.start();
  const address = server.getServerConn();
  const port = Number(address.split(":").pop());
  writeOwner(dir, port);
  process.once("exit", () => clearOwner(dir));
  return async () => {
    clearOwner(dir);
    await server.stop();
  };
}

async function runMigrations(handle: DbHandle, url: string | undefined): Promise<void> {
  if (handle.kind === "pglite") {
    await migratePglite(handle.db as never, { migrationsFolder: MIGRATIONS });
    return;
  }
  // The server that owns an embedded database migrated it when it started.
  if (handle.kind === "pglite-via-server" || !url) return;
  // Several instances may start at once on one PostgreSQL: serialise them on a session advisory lock.
  const lock = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migratePostgres(handle.db as never, { migrationsFolder: MIGRATIONS });
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.catch(() => {});
    await lock.end({ timeout: 5 });
  }
}
