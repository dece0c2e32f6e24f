import "server-only";
import { and, desc, gte, lt, sql } from "drizzle-orm";
import { webhookRejectionCounts } from "@/drizzle/schema/webhook-ingest";
import { getEnv } from "@/lib/config/env";
import type { Db, DbOrTx } from "@/lib/db/types";

/**
 * Rejected deliveries per source address: up to WEBHOOK_REJECTED_PER_MINUTE per address and minute are stored as
 * deliveries; the rest are answered 429 and only counted. The counter is a row per (address, minute) shared by
 * every instance, updated in one statement. Accepted deliveries are never limited here.
 */

const minuteOf = (at: Date) => new Date(Math.floor(at.getTime() / 60_000) * 60_000);

/** Counts one rejection; true when it may be stored, false when it is over the limit (then counted as dropped). */
export async function admitRejected(
  db: Db,
  address: string,
  opts: { now?: Date; limit?: number } = {},
): Promise<boolean> {
  const limit = opts.limit ?? getEnv().WEBHOOK_REJECTED_PER_MINUTE;
  const t = webhookRejectionCounts;
  const [row] = await db
    .insert(t)
    .values({ address, minute: minuteOf(opts.now ?? new Date()), rejected: 1, dropped: 0 })
    .onConflictDoUpdate({
      target: [t.address, t.minute],
      set: {
        rejected: sql`${t.rejected} + 1`,
        dropped: sql`${t.dropped} + case when ${t.rejected} >= ${limit} then 1 else 0 end`,
      },
    })
    .returning({ rejected: t.rejected });
  return (row?.rejected ?? 0) <= limit;
}

export type DroppedRow = { address: string; minute: Date; rejected: number; dropped: number };

/** Minutes in which rejected deliveries were dropped (newest first), for the Webhooks panel. */
export async function listDroppedRejections(
  db: DbOrTx,
  opts: { sinceHours?: number; limit?: number; now?: Date } = {},
): Promise<DroppedRow[]> {
  const since = new Date((opts.now ?? new Date()).getTime() - (opts.sinceHours ?? 24) * 3_600_000);
  const t = webhookRejectionCounts;
  return db
    .select({ address: t.address, minute: t.minute, rejected: t.rejected, dropped: t.dropped })
    .from(t)
    .where(and(gte(t.minute, since), sql`${t.dropped} > 0`))
    .orderBy(desc(t.minute), desc(t.dropped))
    .limit(opts.limit ?? 100);
}

/** Counter rows older than the cutoff (the retention job). */
export async function purgeRejectionCounts(db: Db, before: Date): Promise<number> {
  const deleted = await db
    .delete(webhookRejectionCounts)
    .where(lt(webhookRejectionCounts.minute, before))
    .returning({ minute: webhookRejectionCounts.minute });
  return deleted.length;
}
