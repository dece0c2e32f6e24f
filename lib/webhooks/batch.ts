import "server-only";
import * as clock from "@/lib/time/clock";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { webhookDeliveries, webhookDeliveryAttempts, type WebhookDelivery } from "@/drizzle/schema/webhooks";
import { recordset, textList } from "@/lib/db/recordset";
import { queryRows, type Db, type DbOrTx } from "@/lib/db/types";
import { expectedUids, type ExpectedUids } from "@/lib/watchdog/expectations";
import { insertDeferredCreates, lockBookings, type DeferredCreate } from "./appointment-state";
import { rescheduleUidOf } from "./payload";
import { applyLocked, processDelivery, takeDedupeKeys, type Applied } from "./process";

/**
 * One batch from the queue, in one transaction: claim up to `limit` pending deliveries (then failed ones whose retry
 * is due) with FOR UPDATE SKIP LOCKED, so concurrent workers on any instance take disjoint rows; apply each (the
 * dedupe key in webhook_effects keeps it exactly once); record every outcome with one UPDATE and one INSERT; commit
 * once. A crash before the commit leaves the whole batch pending for the next worker. The same SQL runs on PGlite.
 *
 * Errors are rare, so the batch runs without savepoints: when one delivery throws, the batch is rolled back and its
 * deliveries are processed one by one, each in its own transaction, where a failure is recorded for that one only.
 *
 * Rows are applied ordered by booking uid, then id: per-booking advisory locks are then taken in the same order by
 * every batch, so two batches on two instances cannot deadlock on them.
 */

class BatchFailed extends Error {
  constructor(readonly ids: { id: number; status: WebhookDelivery["status"] }[]) {
    super("a delivery in the batch failed; processing the batch one by one");
  }
}

export async function processBatch(db: Db, opts: { limit: number; workerId: string }): Promise<number> {
  try {
    return await db.transaction(async (tx) => {
      const claimed = await claim(tx, opts.limit);
      if (claimed.length === 0) return 0;
      const startedAt = clock.now();
      const results: { d: WebhookDelivery; applied: Applied }[] = [];
      // Up front, for the whole batch: every booking lock in one statement, then the watchdog's lookup and the
      // dedupe keys in one query each (locks first: a key's other holder is a delivery of the same booking).
      const parsed = claimed.map((d) => ({ d, json: parseBody(d) }));
      const applicable = parsed.filter(
        (x): x is { d: WebhookDelivery; json: Record<string, unknown> } => x.json !== null,
      );
      await lockBookings(
        tx,
        applicable.flatMap(({ d, json }) => [d.bookingUid, rescheduleUidOf(json)]),
      );
      const expected = await expectedUids(tx, applicable);
      const keyTakenBy = await takeDedupeKeys(
        tx,
        applicable.map((x) => x.d),
      );
      const fresh = await freshUids(tx, applicable);
      const creates = deferredCreates(results);
      const failed = () => new BatchFailed(claimed.map((c) => ({ id: c.id, status: c.status })));
      for (const { d, json } of parsed) {
        try {
          const mayDefer = json !== null && isPlainCreate(d, json, fresh.isFresh, expected);
          // Anything else may read appointments: the ones left to the batch go in first.
          if (!mayDefer) await creates.flush(tx);
          const scope = json
            ? { json, expected, keyTakenBy, isFresh: fresh.isFresh, deferCreate: mayDefer ? creates.add : undefined }
            : undefined;
          results.push({ d, applied: await applyLocked(tx, d, scope) });
          fresh.touched(d, json);
        } catch {
          throw failed();
        }
      }
      try {
        await creates.flush(tx);
      } catch {
        throw failed();
      }
      await finishMany(tx, results, { startedAt, jobId: opts.workerId });
      return claimed.length;
    });
  } catch (error) {
    if (!(error instanceof BatchFailed)) throw error;
    for (const { id, status } of error.ids)
      await processDelivery(db, { deliveryId: id, jobId: opts.workerId, statuses: [status] });
    return error.ids.length;
  }
}

/**
 * Which uids of the batch no appointment, reschedule link or parked booking had when the batch began (the batch
 * holds their booking locks, so no other delivery adds one meanwhile; should the booking flow store the same uid at
 * that moment, the unique index refuses the second appointment and the batch is redone one by one). A uid stops
 * being fresh once a delivery of this batch has touched it; after a reschedule (which follows chains and looks up
 * older uids) none is.
 */
async function freshUids(tx: DbOrTx, batch: { d: WebhookDelivery; json: Record<string, unknown> }[]) {
  const asked = new Set(batch.map(({ d }) => d.bookingUid).filter((u): u is string => Boolean(u)));
  const uids = [...asked];
  const known = new Set<string>();
  if (uids.length > 0) {
    const rows = await queryRows<{ uid: string }>(
      tx,
      sql`with u as (select k from ${textList(uids)})
          select calcom_booking_uid as uid from appointments where calcom_booking_uid in (select k from u)
          union select from_uid from webhook_reschedule_links where from_uid in (select k from u)
          union select booking_uid from webhook_unmatched_bookings where booking_uid in (select k from u)`,
    );
    for (const r of rows) known.add(r.uid);
  }
  const touched = new Set<string>();
  let isSettled = true;
  return {
    isFresh: (uid: string) => isSettled && asked.has(uid) && !known.has(uid) && !touched.has(uid),
    touched(d: WebhookDelivery, json: Record<string, unknown> | null) {
      if (d.bookingUid) touched.add(d.bookingUid);
      const old = json ? rescheduleUidOf(json) : null;
      if (old) touched.add(old);
      if (d.triggerEvent === "BOOKING_RESCHEDULED" || d.triggerEvent === "BOOKING_REQUESTED") isSettled = false;
    },
  };
}

/**
 * A BOOKING_CREATED for a uid new to the database, with no reschedule and no watchdog expectation: it only creates an
 * appointment (or parks the booking), reading nothing another delivery of the batch writes, so its INSERT can wait
 * for the batch's one INSERT of new appointments.
 */
function isPlainCreate(
  d: WebhookDelivery,
  json: Record<string, unknown>,
  isFresh: (uid: string) => boolean,
  expected: ExpectedUids,
): boolean {
  return (
    d.triggerEvent === "BOOKING_CREATED" &&
    d.bookingUid !== null &&
    isFresh(d.bookingUid) &&
    !rescheduleUidOf(json) &&
    !expected.has(d.companyId, d.bookingUid)
  );
}

/** The appointments a batch's deliveries left to it (DeferredCreate); flush inserts them and fills in the results. */
function deferredCreates(results: { d: WebhookDelivery; applied: Applied }[]) {
  let waiting: DeferredCreate[] = [];
  return {
    add: (create: DeferredCreate) => void waiting.push(create),
    async flush(tx: DbOrTx): Promise<void> {
      if (waiting.length === 0) return;
      const done = await insertDeferredCreates(tx, waiting);
      waiting = [];
      for (const r of results) {
        const created = done.get(r.d.id);
        if (created)
          r.applied = { ...r.applied, outcome: created.outcome, appointmentId: created.appointmentId ?? null };
      }
    },
  };
}

/** The body as JSON, or null when it cannot be applied as such (applyLocked then says why, one by one). */
function parseBody(d: WebhookDelivery): Record<string, unknown> | null {
  if (d.body === null) return null;
  try {
    const json: unknown = JSON.parse(d.body);
    return json && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

async function claim(tx: DbOrTx, limit: number): Promise<WebhookDelivery[]> {
  const d = webhookDeliveries;
  const pending = await tx
    .select()
    .from(d)
    .where(eq(d.status, "pending"))
    .orderBy(asc(d.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  const room = limit - pending.length;
  const due =
    room > 0
      ? await tx
          .select()
          .from(d)
          .where(and(eq(d.status, "failed"), lte(d.nextAttemptAt, sql`now()`)))
          .orderBy(asc(d.nextAttemptAt))
          .limit(room)
          .for("update", { skipLocked: true })
      : [];
  return [...pending, ...due].sort(byBookingThenId);
}

function byBookingThenId(a: WebhookDelivery, b: WebhookDelivery): number {
  const x = a.bookingUid ?? "";
  const y = b.bookingUid ?? "";
  return x < y ? -1 : x > y ? 1 : a.id - b.id;
}

/** Every outcome of the batch in one UPDATE ... FROM and one INSERT of attempt rows, each from one jsonb recordset. */
async function finishMany(
  tx: DbOrTx,
  results: { d: WebhookDelivery; applied: Applied }[],
  run: { startedAt: Date; jobId: string },
): Promise<void> {
  const finishedAt = clock.now();
  const outcomes = results.map(({ d, applied: a }) => ({
    id: d.id,
    status: a.status,
    outcome: a.outcome,
    appointmentId: a.appointmentId,
    duplicateOfId: a.duplicateOfId ?? null,
    attempts: d.attempts + 1,
  }));
  const o = recordset(
    webhookDeliveries,
    ["id", "status", "outcome", "appointmentId", "duplicateOfId", "attempts"],
    outcomes,
    "v",
  );
  const v = o.ref;
  await tx.execute(sql`
    update ${webhookDeliveries} as w set status = ${v("status")}, outcome = ${v("outcome")}, last_error = null,
      attempts = ${v("attempts")}, processed_at = ${finishedAt.toISOString()}::timestamptz,
      appointment_id = ${v("appointmentId")}, next_attempt_at = null,
      duplicate_of_id = coalesce(${v("duplicateOfId")}, w.duplicate_of_id)
    from ${o.from}
    where w.id = ${v("id")}`);
  const attempts = results.map(({ d, applied: a }) => ({
    deliveryId: d.id,
    attempt: d.attempts + 1,
    jobId: run.jobId,
    startedAt: run.startedAt,
    finishedAt,
    status: a.status,
    outcome: a.outcome,
    error: null,
  }));
  const r = recordset(
    webhookDeliveryAttempts,
    ["deliveryId", "attempt", "jobId", "startedAt", "finishedAt", "status", "outcome", "error"],
    attempts,
  );
  await tx.execute(sql`insert into ${webhookDeliveryAttempts} (${r.columns}) select ${r.values} from ${r.from}`);
}
