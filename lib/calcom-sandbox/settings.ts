import * as clock from "@/lib/time/clock";
import { like, sql } from "drizzle-orm";
import { sandboxRequestCounts, sandboxSettings } from "@/drizzle/schema/sandbox";
import type { Db, DbOrTx } from "@/lib/db/types";
import type { Family } from "./constants";

export type SettingsMap = Map<string, Record<string, unknown>>;

/** All settings in one round trip; the table holds a handful of rows. */
export async function readSettings(db: DbOrTx): Promise<SettingsMap> {
  const rows = await db.select({ key: sandboxSettings.key, value: sandboxSettings.value }).from(sandboxSettings);
  return new Map(rows.map((r) => [r.key, r.value]));
}

export async function writeSetting(db: DbOrTx, key: string, value: Record<string, unknown>): Promise<void> {
  await db
    .insert(sandboxSettings)
    .values({ key, value, updatedAt: clock.now() })
    .onConflictDoUpdate({ target: sandboxSettings.key, set: { value, updatedAt: clock.now() } });
}

export async function deleteSettingsWithPrefix(db: DbOrTx, prefix: string): Promise<void> {
  await db.delete(sandboxSettings).where(like(sandboxSettings.key, `${prefix}%`));
}

/** Counts every /v2 request per family, in the database so that all app instances add to one number. */
export async function countRequest(db: Db, family: Family): Promise<void> {
  await db
    .insert(sandboxRequestCounts)
    .values({ family, count: 1, lastAt: clock.now() })
    .onConflictDoUpdate({
      target: sandboxRequestCounts.family,
      set: { count: sql`${sandboxRequestCounts.count} + 1`, lastAt: clock.now() },
    });
}

export async function readRequestCounts(db: DbOrTx): Promise<Record<string, number> & { total: number }> {
  const rows = await db.select().from(sandboxRequestCounts);
  const counts: Record<string, number> = {};
  let total = 0;
  for (const row of rows) {
    counts[row.family] = Number(row.count);
    total += Number(row.count);
  }
  return { ...counts, total };
}

export async function resetRequestCounts(db: DbOrTx): Promise<void> {
  await db.delete(sandboxRequestCounts);
}
