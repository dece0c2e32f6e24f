import "server-only";
import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import { appointments } from "@/drizzle/schema/core";
import { bookingUidHistory } from "@/drizzle/schema/booking";
import { webhookExpectations, type ExpectationAction, type WebhookExpectation } from "@/drizzle/schema/ops";
import { webhookDeliveries, type WebhookDelivery } from "@/drizzle/schema/webhooks";
import { getAlertThresholds } from "@/lib/alerts/settings";
import { lockBookings } from "@/lib/webhooks/appointment-state";
import { rescheduleUidOf } from "@/lib/webhooks/payload";
import { recordset } from "@/lib/db/recordset";
import type { Db, DbOrTx } from "@/lib/db/types";

/**
 * The expected-webhook watchdog. Cal.com sends each webhook once and keeps no delivery log, so a lost one is
 * invisible unless someone expects it: after our own create, cancel or reschedule we record the webhook it must
 * cause (trigger + uid) with the company's deadline; processing a delivery marks it met; a sweep marks the overdue
 * ones missed. A cancel or reschedule of one of our bookings that we did not make is recorded as "unexpected".
 */

/** What each of our actions makes Cal.com send. A booking needing confirmation is announced as BOOKING_REQUESTED. */
const EXPECTED_TRIGGERS: Record<ExpectationAction, string[]> = {
  create: ["BOOKING_CREATED", "BOOKING_REQUESTED"],
  cancel: ["BOOKING_CANCELLED"],
  reschedule: ["BOOKING_RESCHEDULED", "BOOKING_REQUESTED"],
};

/** Changes to an existing booking; only these can be "unexpected" (bookings made in Cal.com itself are legitimate). */
const CHANGE_TRIGGERS = new Set(["BOOKING_CANCELLED", "BOOKING_RESCHEDULED", "BOOKING_REJECTED"]);
const BOOKING_TRIGGERS = new Set([...CHANGE_TRIGGERS, "BOOKING_CREATED", "BOOKING_REQUESTED"]);

export type ExpectInput = {
  companyId: number;
  appointmentId?: number | null;
  action: ExpectationAction;
  /** create: the new booking's uid; cancel: the booking's; reschedule: the OLD uid (the webhook's rescheduleUid). */
  bookingUid: string;
  /** Deliveries received since this instant already count (the webhook may beat our own bookkeeping). */
  since?: Date;
};

/** Record an expectation. Never fails the booking flow that calls it: a bookkeeping error is logged. */
export async function expectWebhook(db: Db, input: ExpectInput): Promise<WebhookExpectation | null> {
  try {
    const { webhookDeadlineMinutes } = await getAlertThresholds(db, input.companyId);
    const now = new Date();
    const triggers = EXPECTED_TRIGGERS[input.action];
    // Under the booking's lock, which webhook processing holds too: either the delivery is processed first and
    // found below as early, or it is processed after this commits and finds the expectation. Never neither.
    return await db.transaction(async (tx) => {
      await lockBookings(tx, [input.bookingUid]);
      return recordExpectation(tx, input, { now, triggers, webhookDeadlineMinutes });
    });
  } catch (error) {
    console.error("[watchdog] could not record an expected webhook", error instanceof Error ? error.message : error);
    return null;
  }
}

async function recordExpectation(
  db: DbOrTx,
  input: ExpectInput,
  o: { now: Date; triggers: string[]; webhookDeadlineMinutes: number },
): Promise<WebhookExpectation | null> {
  const { now, triggers, webhookDeadlineMinutes } = o;
  const [row] = await db
    .insert(webhookExpectations)
    .values({
      companyId: input.companyId,
      appointmentId: input.appointmentId ?? null,
      action: input.action,
      bookingUid: input.bookingUid,
      triggers,
      createdAt: now,
      deadlineAt: new Date(now.getTime() + webhookDeadlineMinutes * 60_000),
    })
    .returning();
  if (!row) return null;
  const early = await findEarlyDelivery(db, row, input.since ?? new Date(now.getTime() - 60_000));
  if (!early) return row;
  const [met] = await db
    .update(webhookExpectations)
    .set({ status: "met", metAt: early.receivedAt, deliveryId: early.id, actualTrigger: early.triggerEvent })
    .where(and(eq(webhookExpectations.id, row.id), eq(webhookExpectations.status, "pending")))
    .returning();
  return met ?? row;
}

/** Our call failed: no webhook is coming. */
export async function dropExpectation(db: Db, id: number | undefined): Promise<void> {
  if (!id) return;
  await db
    .delete(webhookExpectations)
    .where(and(eq(webhookExpectations.id, id), eq(webhookExpectations.status, "pending")))
    .catch(() => {});
}

async function findEarlyDelivery(db: DbOrTx, e: WebhookExpectation, since: Date): Promise<WebhookDelivery | null> {
  const [hit] = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.companyId, e.companyId),
        inArray(webhookDeliveries.triggerEvent, e.triggers),
        inArray(webhookDeliveries.status, ["processed", "ignored"]),
        sql`${webhookDeliveries.receivedAt} >= ${since.toISOString()}::timestamptz`,
        e.action === "reschedule"
          ? sql`strpos(${webhookDeliveries.body}, ${`"rescheduleUid":"${e.bookingUid}"`}) > 0`
          : eq(webhookDeliveries.bookingUid, e.bookingUid),
      ),
    )
    .limit(1);
  return hit ?? null;
}

/**
 * The one call webhook processing makes (lib/webhooks/process.ts), in a savepoint: the watchdog's bookkeeping never
 * fails or rolls back the delivery's own effect.
 */
export async function noteDeliveryForWatchdog(
  tx: DbOrTx,
  d: WebhookDelivery,
  json: Record<string, unknown>,
  appointmentId: number | null | undefined,
  expected?: ExpectedUids,
): Promise<void> {
  // A batch looked up its expectations at once: a new booking nobody expects has nothing to note (no savepoint).
  if (
    expected &&
    !CHANGE_TRIGGERS.has(d.triggerEvent ?? "") &&
    !deliveryUids(d, json).some((u) => expected.has(d.companyId, u))
  )
    return;
  try {
    await tx.transaction((sp) => noteWebhookDelivery(sp, d, json, appointmentId));
  } catch (error) {
    console.error(`[watchdog] delivery ${d.id} not noted`, error instanceof Error ? error.message : error);
  }
}

/** The uids an expectation of this delivery is recorded under: the booking's and, for a reschedule, the old one. */
function deliveryUids(d: WebhookDelivery, json: Record<string, unknown>): string[] {
  return [d.bookingUid, rescheduleUidOf(json)].filter((u): u is string => Boolean(u));
}

export type ExpectedUids = { has: (companyId: number | null, uid: string) => boolean };

/** Which of a batch's (company, uid) pairs have any expectation: one query for the batch instead of one a delivery. */
export async function expectedUids(
  tx: DbOrTx,
  batch: { d: WebhookDelivery; json: Record<string, unknown> }[],
): Promise<ExpectedUids> {
  const pairs = batch.flatMap(({ d, json }) =>
    d.companyId === null ? [] : deliveryUids(d, json).map((bookingUid) => ({ companyId: d.companyId!, bookingUid })),
  );
  const found = new Set<string>();
  if (pairs.length > 0) {
    const p = recordset(webhookExpectations, ["companyId", "bookingUid"], pairs, "p");
    const rows = await tx
      .select({ companyId: webhookExpectations.companyId, uid: webhookExpectations.bookingUid })
      .from(webhookExpectations)
      .where(
        sql`(${webhookExpectations.companyId}, ${webhookExpectations.bookingUid}) in (select ${p.values} from ${p.from})`,
      );
    for (const r of rows) found.add(`${r.companyId}:${r.uid}`);
  }
  return { has: (companyId, uid) => found.has(`${companyId}:${uid}`) };
}

type Noted = { result: "met" | "wrong_trigger" | "unexpected" | "none"; expectationId?: number };

/**
 * Called once per processed delivery, inside its transaction, after the effect is applied. A reschedule expectation
 * is met by the webhook whose rescheduleUid is the old uid; the others by uid.
 */
async function noteWebhookDelivery(
  tx: DbOrTx,
  d: WebhookDelivery,
  json: Record<string, unknown>,
  appointmentId: number | null | undefined,
): Promise<Noted> {
  const trigger = d.triggerEvent;
  if (!trigger || !BOOKING_TRIGGERS.has(trigger) || d.companyId === null || !d.bookingUid) return { result: "none" };
  const rescheduleUid = rescheduleUidOf(json);
  const uids = deliveryUids(d, json);
  const known = await tx
    .select()
    .from(webhookExpectations)
    .where(and(eq(webhookExpectations.companyId, d.companyId), inArray(webhookExpectations.bookingUid, uids)))
    .orderBy(webhookExpectations.id);
  // A reprocessed delivery was noted the first time already.
  if (known.some((e) => e.deliveryId === d.id)) return { result: "none" };
  const open = known.filter((e) => e.status === "pending" || e.status === "missed" || e.status === "wrong_trigger");
  const matches = (e: WebhookExpectation) =>
    e.triggers.includes(trigger) &&
    (e.action === "reschedule" ? rescheduleUid === e.bookingUid : d.bookingUid === e.bookingUid);
  const hit = open.find(matches);
  const at = new Date();
  if (hit) {
    await tx
      .update(webhookExpectations)
      .set({ status: "met", metAt: at, deliveryId: d.id, actualTrigger: trigger })
      .where(eq(webhookExpectations.id, hit.id));
    return { result: "met", expectationId: hit.id };
  }
  if (!CHANGE_TRIGGERS.has(trigger)) return { result: "none" };
  // We changed this booking and a different change came back (e.g. BOOKING_CANCELLED for our reschedule).
  const ownChange = open.find((e) => e.status === "pending" && e.action !== "create");
  if (ownChange) {
    await tx
      .update(webhookExpectations)
      .set({ status: "wrong_trigger", metAt: at, deliveryId: d.id, actualTrigger: trigger })
      .where(eq(webhookExpectations.id, ownChange.id));
    return { result: "wrong_trigger", expectationId: ownChange.id };
  }
  const ours = await findOurAppointment(tx, uids, appointmentId);
  if (!ours) return { result: "none" };
  const [row] = await tx
    .insert(webhookExpectations)
    .values({
      companyId: d.companyId,
      appointmentId: ours,
      action: trigger === "BOOKING_RESCHEDULED" ? "reschedule" : "cancel",
      bookingUid: rescheduleUid ?? d.bookingUid,
      triggers: [],
      status: "unexpected",
      deadlineAt: at,
      metAt: at,
      deliveryId: d.id,
      actualTrigger: trigger,
    })
    .returning({ id: webhookExpectations.id });
  return { result: "unexpected", expectationId: row?.id };
}

/** One of our bookings: an appointment the booking flow created (it always has an idempotency key). */
async function findOurAppointment(
  tx: DbOrTx,
  uids: string[],
  appointmentId: number | null | undefined,
): Promise<number | null> {
  const byUid = or(
    inArray(appointments.calcomBookingUid, uids),
    appointmentId ? eq(appointments.id, appointmentId) : undefined,
  );
  const [direct] = await tx
    .select({ id: appointments.id, key: appointments.idempotencyKey })
    .from(appointments)
    .where(byUid)
    .limit(1);
  if (direct) return direct.key ? direct.id : null;
  const [viaChain] = await tx
    .select({ id: appointments.id, key: appointments.idempotencyKey })
    .from(bookingUidHistory)
    .innerJoin(appointments, eq(appointments.id, bookingUidHistory.appointmentId))
    .where(or(inArray(bookingUidHistory.fromUid, uids), inArray(bookingUidHistory.toUid, uids)))
    .limit(1);
  return viaChain?.key ? viaChain.id : null;
}

/** Pending expectations past their deadline become missed. Idempotent; run by the watchdog job every minute. */
export async function sweepOverdueExpectations(db: Db, now = new Date()): Promise<number> {
  const rows = await db
    .update(webhookExpectations)
    .set({ status: "missed" })
    .where(and(eq(webhookExpectations.status, "pending"), lt(webhookExpectations.deadlineAt, now)))
    .returning({ id: webhookExpectations.id });
  return rows.length;
}

/** Our own cancel or reschedule: the expectation exists before the call (its webhook may beat the answer) and goes if the call fails. */
export async function expectAround<T>(db: Db, input: ExpectInput, call: () => Promise<T>): Promise<T> {
  const expected = await expectWebhook(db, input);
  try {
    return await call();
  } catch (error) {
    await dropExpectation(db, expected?.id);
    throw error;
  }
}
