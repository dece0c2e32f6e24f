import "server-only";
import * as clock from "@/lib/time/clock";
import { and, eq, gt, lt } from "drizzle-orm";
import { apiCache } from "@/drizzle/schema/calcom";
import type { Db } from "@/lib/db/types";

/**
 * Read-through cache in PostgreSQL (so instances share it), with coalescing: concurrent identical reads in a process
 * wait for the one in flight, and across processes for the holder of the key's lease, instead of each calling
 * Cal.com. TTLs: event types 5 min, slots 60 s.
 */
export const CACHE_TTL = { eventTypes: 5 * 60_000, slots: 60_000 } as const;

type Global = typeof globalThis & { __calcomInflight?: Map<string, Promise<unknown>> };
const g = globalThis as Global;
const inflight = (g.__calcomInflight ??= new Map());

export type CacheSpec = { key: string; companyId: number; scope: string; ttlMs: number };

async function readFresh<T>(db: Db, key: string): Promise<T | undefined> {
  const [hit] = await db
    .select({ value: apiCache.value })
    .from(apiCache)
    .where(and(eq(apiCache.key, key), gt(apiCache.expiresAt, clock.now())));
  return hit ? (hit.value as T) : undefined;
}

/** How long a loader may hold the lease before others stop waiting for it (the client's call timeout). */
const LEASE_MS = 10_000;
const POLL_MS = 25;

/**
 * Across instances: the first to miss takes a lease row (`lease:<key>`, insert-if-absent or take over an expired
 * one) and loads; the others poll for the value it writes instead of calling Cal.com themselves. A loader that fails
 * deletes its lease, so a waiter then loads on its own. Rows, not advisory locks: works on PGlite and postgres.js
 * alike and never holds a connection during the upstream call.
 */
async function takeLease(db: Db, spec: CacheSpec): Promise<boolean> {
  const expiresAt = new Date(clock.nowMs() + LEASE_MS);
  const taken = await db
    .insert(apiCache)
    .values({ key: `lease:${spec.key}`, companyId: spec.companyId, scope: "lease", value: {}, expiresAt })
    .onConflictDoUpdate({ target: apiCache.key, set: { expiresAt }, where: lt(apiCache.expiresAt, clock.now()) })
    .returning({ key: apiCache.key });
  return taken.length > 0;
}

/** The cross-instance half of cachedRead (exported for its test: two callers here behave like two instances). */
export async function loadOnce<T>(
  db: Db,
  spec: CacheSpec,
  load: () => Promise<T>,
): Promise<{ value: T; isHit: boolean }> {
  const deadline = clock.nowMs() + LEASE_MS;
  while (!(await takeLease(db, spec))) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    const value = await readFresh<T>(db, spec.key);
    if (value !== undefined) return { value, isHit: true };
    if (clock.nowMs() > deadline) break;
  }
  try {
    // The previous holder may have written the value and released the lease between our last read and our taking it.
    const written = await readFresh<T>(db, spec.key);
    if (written !== undefined) return { value: written, isHit: true };
    const value = await load();
    const expiresAt = new Date(clock.nowMs() + spec.ttlMs);
    await db
      .insert(apiCache)
      .values({ key: spec.key, companyId: spec.companyId, scope: spec.scope, value: value as object, expiresAt })
      .onConflictDoUpdate({ target: apiCache.key, set: { value: value as object, expiresAt, scope: spec.scope } });
    return { value, isHit: false };
  } finally {
    await db.delete(apiCache).where(eq(apiCache.key, `lease:${spec.key}`));
  }
}

export async function cachedRead<T>(
  db: Db,
  spec: CacheSpec,
  load: () => Promise<T>,
): Promise<{ value: T; isHit: boolean }> {
  const pending = inflight.get(spec.key) as Promise<{ value: T; isHit: boolean }> | undefined;
  if (pending) return { value: (await pending).value, isHit: true };
  const promise = (async () => {
    const hit = await readFresh<T>(db, spec.key);
    if (hit !== undefined) return { value: hit, isHit: true };
    return loadOnce(db, spec, load);
  })();
  inflight.set(spec.key, promise);
  try {
    return await promise;
  } finally {
    inflight.delete(spec.key);
  }
}

/** A booking, cancel or reschedule changes availability: drop the affected slots. */
export async function invalidateCache(db: Db, companyId: number, scope: string): Promise<void> {
  await db.delete(apiCache).where(and(eq(apiCache.companyId, companyId), eq(apiCache.scope, scope)));
}

export async function pruneExpiredCache(db: Db): Promise<void> {
  await db.delete(apiCache).where(lt(apiCache.expiresAt, clock.now()));
}
