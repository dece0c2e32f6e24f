import "server-only";
import * as clock from "@/lib/time/clock";
import { plural } from "@/lib/time/format";
import { and, asc, eq, gte, inArray, isNotNull, isNull, lt, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { manualBookings, type ManualBooking, type ManualBookingRequest } from "@/drizzle/schema/booking";
import { appointments, companies, services, type Appointment } from "@/drizzle/schema/core";
import { writeAudit } from "@/lib/audit/audit";
import { actorLabel, type Actor } from "@/lib/auth/roles";
import { getCircuitStatuses } from "@/lib/calcom/breaker";
import { createCalcomHttp } from "@/lib/calcom/client";
import type { Db, Tx } from "@/lib/db/types";
import { AppError, parseOrBadRequest } from "@/lib/errors";
import { correlationForKey } from "@/lib/timeline/correlation";
import { expectWebhook } from "@/lib/watchdog/expectations";
import { markBooked } from "./book";
import {
  buildBookingFields,
  checkSlotOffered,
  classifyAttemptError,
  findBookingByKey,
  nearbyText,
  sendBooking,
  type AttemptResult,
} from "./calcom-attempt";
import { isFallbackModeActive } from "./fallback-mode";
import { ACTIVE_STATES, loadManual } from "./manual-queue";
import { notifyManualBookingConflict } from "./manual-notify";
import { queueManualBooking } from "./book";
import { manualBookingJson, type ManualBookingJson } from "./view";

/**
 * Recovery of the manual-booking queue once Cal.com answers again: re-check each slot first, book what is still free
 * (or adopt a booking Cal.com made although its answer was lost), and flag conflicts for a person.
 */

type RecoveryOutcome = "booked" | "conflict" | "still_open" | "skipped";
export type RecoveryItem = {
  manualBookingId: number;
  appointmentId: number;
  outcome: RecoveryOutcome;
  message: string;
};
export type RecoveryReport = {
  booked: number;
  conflicts: number;
  stillOpen: number;
  skipped: number;
  stoppedEarly: boolean;
  items: RecoveryItem[];
};

type Context = {
  companyName: string;
  companyTimeZone: string;
  serviceName: string;
  request?: ManualBookingRequest | null;
};

/** A booking attempt (slot check, fields, POST) takes well under this; a lease older than it belongs to a dead instance. */
const ATTEMPT_LEASE_MINUTES = 3;
/** An in-flight request older than this without an answer stored was abandoned by its instance. */
const STUCK_REQUEST_MINUTES = 2;

async function contextFor(db: Db, appt: Appointment): Promise<Context> {
  const [row] = await db
    .select({ companyName: companies.name, tz: companies.timeZone, serviceName: services.name })
    .from(companies)
    .leftJoin(services, eq(services.id, appt.serviceId ?? -1))
    .where(eq(companies.id, appt.companyId));
  return {
    companyName: row?.companyName ?? `#${appt.companyId}`,
    companyTimeZone: row?.tz ?? "Europe/Berlin",
    serviceName: row?.serviceName ?? "(unknown service)",
  };
}

/** Re-check the slot, then book; Cal.com's refusals are classified, nothing about Cal.com is thrown. */
async function tryBook(db: Db, appt: Appointment, ctx: Context): Promise<AttemptResult> {
  if (appt.startsAt.getTime() <= clock.nowMs()) return { kind: "taken", message: "The requested time has passed" };
  if (!appt.calcomEventTypeId) return { kind: "rejected", message: "The appointment has no Cal.com event type" };
  try {
    const http = await createCalcomHttp(db, appt.companyId);
    http.correlation = appt.idempotencyKey ? correlationForKey(appt.idempotencyKey) : null;
    const existing = await findBookingByKey(http, appt);
    if (existing) return { kind: "booked", booking: existing, exchange: null, isAdopted: true };
    const check = await checkSlotOffered(http, {
      eventTypeId: appt.calcomEventTypeId,
      start: appt.startsAt,
      timeZone: ctx.companyTimeZone,
      bypassCache: true,
    });
    if (!check.isOffered) {
      return {
        kind: "taken",
        message: `The slot is no longer free in Cal.com.${nearbyText(check.nearby, ctx.companyTimeZone)}`,
      };
    }
    const { fields } = await buildBookingFields(http, appt.calcomEventTypeId, {
      email: appt.attendeeEmail,
      phone: appt.attendeePhone,
      notes: ctx.request?.notes,
      responses: ctx.request?.bookingFieldsResponses,
    });
    return await sendBooking(http, appt, fields);
  } catch (error) {
    return classifyAttemptError(error);
  }
}

/** One queued request: book it now. `includeClaimed` for "Retry now" by a person; the job leaves claimed ones alone. */
export async function attemptManualBooking(
  db: Db,
  input: { id: number; actor?: Actor; includeClaimed?: boolean },
): Promise<RecoveryItem & { manualBooking: ManualBookingJson }> {
  const { id } = input;
  const { manual, appt } = await loadManual(db, id);
  const done = (outcome: RecoveryOutcome, message: string, m: ManualBooking = manual) => ({
    manualBookingId: id,
    appointmentId: appt.id,
    outcome,
    message,
    manualBooking: manualBookingJson(m),
  });
  if (!(ACTIVE_STATES as readonly string[]).includes(manual.state)) return done("skipped", `Already ${manual.state}`);
  if (manual.state === "claimed" && !input.includeClaimed)
    return done("skipped", `Claimed by ${manual.claimedByLabel}`);
  const fallback = await isFallbackModeActive(db, manual.companyId);
  if (fallback.isActive) return done("still_open", `Fallback mode is on until ${fallback.expiresAt?.toISOString()}`);

  // One attempt per request at a time, across instances: the job and a person's "Retry now" must never both POST
  // the booking (a round-robin event type would take it twice). The lease is last_attempt_at: an attempt is in
  // progress while it is newer than updated_at (every finish below bumps updated_at), for at most ATTEMPT_LEASE_MINUTES.
  const states = input.includeClaimed ? [...ACTIVE_STATES] : ACTIVE_STATES.filter((s) => s !== "claimed");
  const [leased] = await db
    .update(manualBookings)
    .set({ lastAttemptAt: clock.now() })
    .where(
      and(
        eq(manualBookings.id, id),
        inArray(manualBookings.state, states),
        sql`(${manualBookings.lastAttemptAt} is null or ${manualBookings.lastAttemptAt} <= ${manualBookings.updatedAt} or ${manualBookings.lastAttemptAt} < ${clock.now().toISOString()}::timestamptz - make_interval(mins => ${ATTEMPT_LEASE_MINUTES}))`,
      ),
    )
    .returning();
  if (!leased) return done("skipped", "Another attempt for this request is in progress");

  const ctx = { ...(await contextFor(db, appt)), request: manual.request };
  const attempt = await tryBook(db, appt, ctx);
  const now = clock.now();
  const by = input.actor ? actorLabel(input.actor) : "recovery job";
  const audit = async (
    tx: Parameters<Parameters<Db["transaction"]>[0]>[0],
    outcome: RecoveryOutcome,
    message: string,
  ) => {
    if (input.actor)
      await writeAudit(tx, {
        actor: input.actor,
        action: "manual-booking.retry",
        targetType: "manual_booking",
        targetId: id,
        companyId: manual.companyId,
        details: { outcome, message },
      });
  };
  // Finishing writes only touch a request that is still active: a person may have resolved or cancelled it meanwhile.
  const stillActive = and(eq(manualBookings.id, id), inArray(manualBookings.state, [...ACTIVE_STATES]));
  const current = async (d: Db | Tx) => (await loadManual(d, id)).manual;
  if (attempt.kind === "booked") {
    const message = `${attempt.isAdopted ? "Found in Cal.com (booked before the answer was lost)" : "Booked in Cal.com"}: ${attempt.booking.uid}`;
    const row = await db.transaction(async (tx) => {
      // Cal.com holds the booking: the appointment records it whatever happened to the queue entry.
      await markBooked(tx, appt.id, attempt.booking);
      const [row] = await tx
        .update(manualBookings)
        .set({
          state: "booked",
          attempts: sql`${manualBookings.attempts} + 1`,
          lastError: null,
          resolvedAt: now,
          resolvedByLabel: by,
          resolution: message,
          updatedAt: clock.now(),
        })
        .where(stillActive)
        .returning();
      await audit(tx, "booked", message);
      return row ?? (await current(tx));
    });
    await expectWebhook(db, {
      companyId: appt.companyId,
      appointmentId: appt.id,
      action: "create",
      bookingUid: attempt.booking.uid,
      since: appt.createdAt,
    });
    return done("booked", message, row);
  }
  if (attempt.kind === "outage") {
    const [row] = await db
      .update(manualBookings)
      .set({
        attempts: sql`${manualBookings.attempts} + 1`,
        lastError: attempt.message.slice(0, 500),
        updatedAt: clock.now(),
      })
      .where(stillActive)
      .returning();
    if (input.actor) await db.transaction((tx) => audit(tx, "still_open", attempt.message));
    return done("still_open", attempt.message, row ?? (await current(db)));
  }
  const row = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(manualBookings)
      .set({
        state: manual.state === "claimed" ? "claimed" : "conflict",
        conflictReason: attempt.message.slice(0, 500),
        attempts: sql`${manualBookings.attempts} + 1`,
        lastError: attempt.message.slice(0, 500),
        updatedAt: clock.now(),
      })
      .where(stillActive)
      .returning();
    if (!row) return current(tx);
    await notifyManualBookingConflict(tx, appt, row, attempt.message, ctx);
    await audit(tx, "conflict", attempt.message);
    return row;
  });
  return done("conflict", attempt.message, row);
}

/**
 * Requests whose instance stopped (crash, deploy, lost database) between claiming the slot and storing Cal.com's
 * answer: still "pending" with no uid and no queue entry after STUCK_REQUEST_MINUTES (the POST itself times out after
 * 15 s). They hold their slot claim, so they must not be forgotten: queue them, and recovery looks for the booking in
 * Cal.com by its idempotency key before booking it.
 */
export async function queueStuckRequests(db: Db, opts: { companyId?: number; now?: Date } = {}): Promise<number[]> {
  const cutoff = new Date((opts.now ?? clock.now()).getTime() - STUCK_REQUEST_MINUTES * 60_000);
  const companyIds = opts.companyId
    ? [opts.companyId]
    : (await db.select({ id: companies.id }).from(companies)).map((c) => c.id);
  const queued: number[] = [];
  for (const companyId of companyIds) {
    // appointments_company_status_id serves (company, status).
    const stuck = await db
      .select({ id: appointments.id })
      .from(appointments)
      .leftJoin(manualBookings, eq(manualBookings.appointmentId, appointments.id))
      .where(
        and(
          eq(appointments.companyId, companyId),
          eq(appointments.status, "pending"),
          eq(appointments.syncStatus, "pending"),
          isNull(appointments.calcomBookingUid),
          isNotNull(appointments.idempotencyKey),
          isNotNull(appointments.calcomEventTypeId),
          lt(appointments.createdAt, cutoff),
          isNull(manualBookings.id),
        ),
      )
      .orderBy(asc(appointments.id))
      .limit(100);
    for (const { id } of stuck) {
      const manual = await db.transaction(async (tx) => {
        const [appt] = await tx.select().from(appointments).where(eq(appointments.id, id)).for("update");
        // Re-checked under the row lock: the request may have got its answer meanwhile.
        if (!appt || appt.status !== "pending" || appt.syncStatus !== "pending" || appt.calcomBookingUid) return null;
        const [company] = await tx.select().from(companies).where(eq(companies.id, appt.companyId));
        const [service] = appt.serviceId
          ? await tx.select({ name: services.name }).from(services).where(eq(services.id, appt.serviceId))
          : [];
        const message =
          "The booking request never got Cal.com's answer stored (the instance handling it stopped); recovery looks for it in Cal.com before booking";
        return queueManualBooking(
          tx,
          appt,
          { reasonCode: "calcom_failing", message },
          { company: company!, serviceName: service?.name ?? "(unknown service)" },
        );
      });
      if (manual) queued.push(manual.id);
    }
  }
  return queued;
}

function emptyReport(): RecoveryReport {
  return { booked: 0, conflicts: 0, stillOpen: 0, skipped: 0, stoppedEarly: false, items: [] };
}

async function runItems(db: Db, ids: number[], opts: { actor?: Actor }): Promise<RecoveryReport> {
  const report = emptyReport();
  for (const id of ids) {
    const item = await attemptManualBooking(db, { ...opts, id });
    report.items.push({
      manualBookingId: item.manualBookingId,
      appointmentId: item.appointmentId,
      outcome: item.outcome,
      message: item.message,
    });
    if (item.outcome === "booked") report.booked++;
    else if (item.outcome === "conflict") report.conflicts++;
    else if (item.outcome === "skipped") report.skipped++;
    else {
      report.stillOpen++;
      // Cal.com is failing again: leave the rest for the next run instead of hammering it.
      report.stoppedEarly = ids.indexOf(id) < ids.length - 1;
      if (report.stoppedEarly) break;
    }
  }
  return report;
}

/** Whether the company's circuit lets a call through now (closed, or its open period has elapsed and a trial may go). */
async function isCircuitPassable(db: Db, companyId: number, now = clock.now()): Promise<boolean> {
  const status = (await getCircuitStatuses(db, [companyId], 0)).get(companyId);
  if (!status) return true;
  if (status.forcedOpenUntil && status.forcedOpenUntil > now) return false;
  return status.state !== "open" || !status.openUntil || status.openUntil <= now;
}

/** The job: every company with open requests whose circuit is passable and whose fallback mode is off. */
export async function recoverOpenManualBookings(
  db: Db,
  opts: { companyId?: number } = {},
): Promise<Record<number, RecoveryReport>> {
  await queueStuckRequests(db, { companyId: opts.companyId });
  const rows = await db
    .select({ id: manualBookings.id, companyId: manualBookings.companyId })
    .from(manualBookings)
    .innerJoin(appointments, eq(appointments.id, manualBookings.appointmentId))
    .where(
      and(eq(manualBookings.state, "open"), opts.companyId ? eq(manualBookings.companyId, opts.companyId) : undefined),
    )
    .orderBy(asc(appointments.startsAt))
    .limit(500);
  const byCompany = new Map<number, number[]>();
  for (const r of rows) byCompany.set(r.companyId, [...(byCompany.get(r.companyId) ?? []), r.id]);
  const reports: Record<number, RecoveryReport> = {};
  for (const [companyId, ids] of byCompany) {
    if (!(await isCircuitPassable(db, companyId))) continue;
    if ((await isFallbackModeActive(db, companyId)).isActive) continue;
    reports[companyId] = await runItems(db, ids, {});
  }
  return reports;
}

const recoverFailedSchema = z
  .object({
    companyId: z.number().int().positive().optional(),
    /** Requests made (created) in this range; the guide's `recover-failed-bookings --from --to`. */
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
  })
  .refine((v) => new Date(v.from) < new Date(v.to), { message: "from must be before to", path: ["from"] });

export type RecoverFailedInput = z.input<typeof recoverFailedSchema> & { actor: Actor };

/**
 * "Recover failed bookings" for a time range: every request created in [from, to] that still has no Cal.com booking
 * (queued for manual booking, or stuck pending/failed) is re-checked and booked, or flagged as a conflict.
 */
export async function recoverFailedBookings(
  db: Db,
  input: RecoverFailedInput,
): Promise<RecoveryReport & { considered: number }> {
  const { actor } = input;
  const q = parseOrBadRequest(recoverFailedSchema, input);
  const from = new Date(q.from);
  const to = new Date(q.to);
  const stuck = await db
    .select()
    .from(appointments)
    .where(
      and(
        q.companyId ? eq(appointments.companyId, q.companyId) : undefined,
        gte(appointments.createdAt, from),
        lte(appointments.createdAt, to),
        inArray(appointments.status, ["requires_manual_booking", "pending"]),
        sql`${appointments.calcomBookingUid} is null`,
      ),
    )
    .orderBy(asc(appointments.startsAt))
    .limit(1000);
  const ids: number[] = [];
  for (const appt of stuck) {
    const [existing] = await db.select().from(manualBookings).where(eq(manualBookings.appointmentId, appt.id));
    if (existing) {
      if ((ACTIVE_STATES as readonly string[]).includes(existing.state) && existing.state !== "claimed")
        ids.push(existing.id);
      continue;
    }
    // A pending request older than a minute that never got its answer (process died mid-call): queue it, then recover.
    if (appt.status === "pending" && appt.syncStatus !== "failed" && clock.nowMs() - appt.createdAt.getTime() < 60_000)
      continue;
    const [company] = await db.select().from(companies).where(eq(companies.id, appt.companyId));
    const ctx = await contextFor(db, appt);
    const manual = await db.transaction((tx) =>
      queueManualBooking(
        tx,
        appt,
        {
          reasonCode: "calcom_failing",
          message: appt.syncError ?? "The booking request never got an answer from Cal.com",
        },
        { company: company!, serviceName: ctx.serviceName },
      ),
    );
    ids.push(manual.id);
  }
  await db.transaction((tx) =>
    writeAudit(tx, {
      actor,
      action: "booking.recover-failed",
      targetType: "company",
      targetId: q.companyId ?? null,
      companyId: q.companyId ?? null,
      details: { from: q.from, to: q.to, considered: ids.length },
    }),
  );
  if (ids.length && q.companyId && !(await isCircuitPassable(db, q.companyId))) {
    throw new AppError(
      "UNAVAILABLE",
      `The circuit of company ${q.companyId} is open; ${plural(ids.length, "request")} stay queued and the recovery job books them once it closes.`,
    );
  }
  return { ...(await runItems(db, ids, { actor })), considered: ids.length };
}
