import "server-only";
import * as clock from "@/lib/time/clock";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import { apiCache } from "@/drizzle/schema/calcom";
import type { Db } from "@/lib/db/types";

/**
 * Read-through cache in PostgreSQL (so instances share it), plus per-process coalescing: concurrent identical reads
 * wait for the one in flight instead of each calling Cal.com. TTLs: event types 5 min, slots 60 s.
 */
export const CACHE_TTL = { eventTypes: 5 * 60_000, slots: 60_000 } as const;

type Global = typeof globalThis & { __calcomInflight?: Map<string, Promise<unknown>> };
const g = globalThis as Global;
const inflight = (g.__calcomInflight ??= new Map());

export type CacheSpec = { key: string; companyId: number; scope: string; ttlMs: number };

export async function cachedRead<T>(db: Db, spec: CacheSpec, load: () => Promise<T>): Promise<{ value: T; isHit: boolean }> {
  const pending = inflight.get(spec.key) as Promise<{ value: T; isHit: boolean }> | undefined;
  if (pending) return { value: (await pending).value, isHit: true };
  const promise = (async () => {
    const [hit] = await db
      .select({ value: apiCache.value })
      .from(apiCache)
      .where(and(eq(apiCache.key, spec.key), gt(apiCache.expiresAt, clock.now())));
    if (hit) return { value: hit.value as T, isHit: true };
    const value = await load();
    const expiresAt = new Date(clock.nowMs() + spec.ttlMs);
    await db
      .insert(apiCache)
      .values({ key: spec.key, companyId: spec.companyId, scope: spec.scope, value: value as object, expiresAt })
      .onConflictDoUpdate({ target: apiCache.key, set: { value: value as object, expiresAt, scope: spec.scope } });
    return { value, isHit: false };
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
