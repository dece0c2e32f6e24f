import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/types";
import { queryRows } from "@/lib/db/types";
import { processDelivery } from "./process";

/**
 * One batch from the queue, in one transaction: claim up to `limit` pending deliveries (and failed ones whose retry
 * is due) with FOR UPDATE SKIP LOCKED, so concurrent workers on any instance take disjoint rows, then process each
 * in a savepoint (processDelivery's own transaction nests): an error rolls back that delivery only and marks it
 * failed. The effects of the whole batch commit together, so one commit (one fsync) covers many deliveries; a crash
 * before it leaves every row of the batch pending for the next worker. The same SQL runs on PGlite.
 *
 * Rows are processed ordered by booking uid, then id: per-booking advisory locks are then taken in the same order by
 * every batch, so two batches on two instances cannot deadlock on them.
 */

type Claimed = { id: number | string; booking_uid: string | null; status: string };

export async function processBatch(db: Db, opts: { limit: number; workerId: string }): Promise<number> {
  return db.transaction(async (tx) => {
    const pending = await queryRows<Claimed>(
      tx,
      sql`select id, booking_uid, status from webhook_deliveries where status = 'pending' order by id limit ${opts.limit} for update skip locked`,
    );
    const room = opts.limit - pending.length;
    const retries =
      room > 0
        ? await queryRows<Claimed>(
            tx,
            sql`select id, booking_uid, status from webhook_deliveries where status = 'failed' and next_attempt_at <= now() order by next_attempt_at limit ${room} for update skip locked`,
          )
        : [];
    const claimed = [...pending, ...retries].sort(byBookingThenId);
    for (const row of claimed) {
      await processDelivery(tx as unknown as Db, { deliveryId: Number(row.id), jobId: opts.workerId, statuses: [row.status === "failed" ? "failed" : "pending"] });
    }
    return claimed.length;
  });
}

function byBookingThenId(a: Claimed, b: Claimed): number {
  const x = a.booking_uid ?? "";
  const y = b.booking_uid ?? "";
  return x < y ? -1 : x > y ? 1 : Number(a.id) - Number(b.id);
}
