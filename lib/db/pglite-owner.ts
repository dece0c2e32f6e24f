import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import lockfile from "proper-lockfile";
import { z } from "zod";

/**
 * PGlite has no lock between processes: two processes on one folder silently lose writes. Exactly one process owns
 * the folder (a proper-lockfile lock, stale after 10 s without a heartbeat); while a server owns it, it serves the
 * database on a loopback socket and writes the port here, so tools (migrate, seed, CLI) connect through it instead.
 */
const ownerSchema = z.object({ pid: z.number(), port: z.number(), startedAt: z.string() });
export type PgliteOwner = z.infer<typeof ownerSchema>;

export class DataDirLockedError extends Error {
  override name = "DataDirLockedError";
}

function ownerFile(dir: string): string {
  return `${dir}.owner.json`;
}

export async function acquireDataDir(dir: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dir, { lockfilePath: `${dir}.lock`, realpath: false, stale: 10_000, update: 2_000 });
  } catch (error) {
    if ((error as { code?: string }).code !== "ELOCKED") throw error;
    const owner = readOwner(dir);
    throw new DataDirLockedError(
      `The embedded database at ${dir} is in use by another process` +
        (owner ? ` (pid ${owner.pid}, started ${owner.startedAt})` : "") +
        ". Stop it first, or set DATABASE_URL to use a shared PostgreSQL server.",
    );
  }
}

export function readOwner(dir: string): PgliteOwner | null {
  const file = ownerFile(dir);
  if (!existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
  const parsed = ownerSchema.safeParse(raw);
  if (!parsed.success) return null;
  try {
    process.kill(parsed.data.pid, 0);
  } catch {
    return null;
  }
  return parsed.data;
}

export function writeOwner(dir: string, port: number): void {
  // Write then rename: a reader never sees a half-written file.
  const tmp = `${ownerFile(dir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ pid: process.pid, port, startedAt: new Date().toISOString() }));
  renameSync(tmp, ownerFile(dir));
}

export function clearOwner(dir: string): void {
  rmSync(ownerFile(dir), { force: true });
}

export async function isDataDirLocked(dir: string): Promise<boolean> {
  return lockfile.check(dir, { lockfilePath: `${dir}.lock`, realpath: false, stale: 10_000 });
}
