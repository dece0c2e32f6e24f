import "server-only";
import { and, asc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { manualBookings, type ManualBooking } from "@/drizzle/schema/booking";
import { appointments, companies, services, type Appointment } from "@/drizzle/schema/core";
import { writeAudit } from "@/lib/audit/audit";
import { actorLabel, type Actor } from "@/lib/auth/roles";
import { getCircuitStatuses } from "@/lib/calcom/breaker";
import { createCalcomHttp } from "@/lib/calcom/client";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { markBooked } from "./book";
import { buildBookingFields, checkSlotOffered, classifyAttemptError, findBookingByKey, sendBooking, type AttemptResult } from "./calcom-attempt";
import { isFallbackModeActive } from "./fallback-mode";
import { ACTIVE_STATES, loadManual } from "./manual-queue";
import { formatLocal, notifyManualBookingConflict } from "./manual-notify";
import { queueManualBooking } from "./book";
import { manualBookingJson, type ManualBookingJson } from "./view";

/**
 * Recovery of the manual-booking queue once Cal.com answers again: re-check each slot first, book what is still free
 * (or adopt a booking Cal.com made although its answer was lost), and flag conflicts for a person.
 */

export type RecoveryOutcome = "booked" | "conflict" | "still_open" | "skipped";
export type RecoveryItem = { manualBookingId: number; appointmentId: number; outcome: RecoveryOutcome; message: string };
export type RecoveryReport = { booked: number; conflicts: number; stillOpen: number; skipped: number; stoppedEarly: boolean; items: RecoveryItem[] };

type Context = { companyName: string; companyTimeZone: string; serviceName: string };

async function contextFor(db: Db, appt: Appointment): Promise<Context> {
  const [row] = await db
    .select({ companyName: companies.name, tz: companies.timeZone, serviceName: services.name })
    .from(companies)
    .leftJoin(services, eq(services.id, appt.serviceId ?? -1))
    .where(eq(companies.id, appt.companyId));
  return { companyName: row?.companyName ?? `#${appt.companyId}`, companyTimeZone: row?.tz ?? "Europe/Berlin", serviceName: row?.serviceName ?? "(unknown service)" };
}

/** Re-check the slot, then book; Cal.com's refusals are classified, nothing about Cal.com is thrown. */
async function tryBook(db: Db, appt: Appointment, ctx: Context): Promise<AttemptResult> {
  if (appt.startsAt.getTime() <= Date.now()) return { kind: "taken", message: "The requested time has passed" };
  if (!appt.calcomEventTypeId) return { kind: "rejected", message: "The appointment has no Cal.com event type" };
  try {
    const http = await createCalcomHttp(db, appt.companyId);
    const existing = await findBookingByKey(http, appt);
    if (existing) return { kind: "booked", booking: existing, exchange: null, isAdopted: true };
    const check = await checkSlotOffered(http, { eventTypeId: appt.calcomEventTypeId, start: appt.startsAt, timeZone: ctx.companyTimeZone, bypassCache: true });
    if (!check.isOffered) {
      const nearby = check.nearby.map((s) => formatLocal(new Date(s), ctx.companyTimeZone)).join("; ");
      return { kind: "taken", message: `The slot is no longer free in Cal.com.${nearby ? ` Nearest free times: ${nearby}.` : ""}` };
    }
    const { fields } = await buildBookingFields(http, appt.calcomEventTypeId, { email: appt.attendeeEmail, phone: appt.attendeePhone });
    return await sendBooking(http, appt, fields);
  } catch (error) {
    return classifyAttemptError(error);
  }
}

/** One queued request: book it now. `includeClaimed` for "Retry now" by a person; the job leaves claimed ones alone. */
export async function attemptManualBooking(db: Db, id: number, opts: { actor?: Actor; includeClaimed?: boolean } = {}): Promise<RecoveryItem & { manualBooking: ManualBookingJson }> {
  const { manual, appt } = await loadManual(db, id);
  const done = (outcome: RecoveryOutcome, message: string, m: ManualBooking = manual) => ({ manualBookingId: id, appointmentId: appt.id, outcome, message, manualBooking: manualBookingJson(m) });
  if (!(ACTIVE_STATES as readonly string[]).includes(manual.state)) return done("skipped", `Already ${manual.state}`);
  if (manual.state === "claimed" && !opts.includeClaimed) return done("skipped", `Claimed by ${manual.claimedByLabel}`);
  const fallback = await isFallbackModeActive(db, manual.companyId);
  if (fallback.isActive) return done("still_open", `Fallback mode is on until ${fallback.expiresAt?.toISOString()}`);

  const ctx = await contextFor(db, appt);
  const attempt = await tryBook(db, appt, ctx);
  const now = new Date();
  const by = opts.actor ? actorLabel(opts.actor) : "recovery job";
  const audit = async (tx: Parameters<Parameters<Db["transaction"]>[0]>[0], outcome: RecoveryOutcome, message: string) => {
    if (opts.actor) await writeAudit(tx, { actor: opts.actor, action: "manual-booking.retry", targetType: "manual_booking", targetId: id, companyId: manual.companyId, details: { outcome, message } });
  };
  if (attempt.kind === "booked") {
    const message = `${attempt.isAdopted ? "Found in Cal.com (booked before the answer was lost)" : "Booked in Cal.com"}: ${attempt.booking.uid}`;
    const row = await db.transaction(async (tx) => {
      await markBooked(tx, appt.id, attempt.booking);
      const [row] = await tx
        .update(manualBookings)
        .set({ state: "booked", attempts: sql`${manualBookings.attempts} + 1`, lastAttemptAt: now, lastError: null, resolvedAt: now, resolvedByLabel: by, resolution: message, updatedAt: now })
        .where(eq(manualBookings.id, id))
        .returning();
      await audit(tx, "booked", message);
      return row!;
    });
    return done("booked", message, row);
  }
  if (attempt.kind === "outage") {
    const [row] = await db
      .update(manualBookings)
      .set({ attempts: sql`${manualBookings.attempts} + 1`, lastAttemptAt: now, lastError: attempt.message.slice(0, 500), updatedAt: now })
      .where(eq(manualBookings.id, id))
      .returning();
    if (opts.actor) await db.transaction((tx) => audit(tx, "still_open", attempt.message));
    return done("still_open", attempt.message, row);
  }
  const row = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(manualBookings)
      .set({ state: manual.state === "claimed" ? "claimed" : "conflict", conflictReason: attempt.message.slice(0, 500), attempts: sql`${manualBookings.attempts} + 1`, lastAttemptAt: now, lastError: attempt.message.slice(0, 500), updatedAt: now })
      .where(eq(manualBookings.id, id))
      .returning();
    await notifyManualBookingConflict(tx, appt, row!, attempt.message, ctx);
    await audit(tx, "conflict", attempt.message);
    return row!;
  });
  return done("conflict", attempt.message, row);
}

function emptyReport(): RecoveryReport {
  return { booked: 0, conflicts: 0, stillOpen: 0, skipped: 0, stoppedEarly: false, items: [] };
}

async function runItems(db: Db, ids: number[], opts: { actor?: Actor }): Promise<RecoveryReport> {
  const report = emptyReport();
  for (const id of ids) {
    const item = await attemptManualBooking(db, id, opts);
    report.items.push({ manualBookingId: item.manualBookingId, appointmentId: item.appointmentId, outcome: item.outcome, message: item.message });
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
async function isCircuitPassable(db: Db, companyId: number, now = new Date()): Promise<boolean> {
  const status = (await getCircuitStatuses(db, [companyId], 0)).get(companyId);
  if (!status) return true;
  if (status.forcedOpenUntil && status.forcedOpenUntil > now) return false;
  return status.state !== "open" || !status.openUntil || status.openUntil <= now;
}

/** The job: every company with open requests whose circuit is passable and whose fallback mode is off. */
export async function recoverOpenManualBookings(db: Db, opts: { companyId?: number } = {}): Promise<Record<number, RecoveryReport>> {
  const rows = await db
    .select({ id: manualBookings.id, companyId: manualBookings.companyId })
    .from(manualBookings)
    .innerJoin(appointments, eq(appointments.id, manualBookings.appointmentId))
    .where(and(eq(manualBookings.state, "open"), opts.companyId ? eq(manualBookings.companyId, opts.companyId) : undefined))
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

export const recoverFailedSchema = z
  .object({
    companyId: z.number().int().positive().optional(),
    /** Requests made (created) in this range; the guide's `recover-failed-bookings --from --to`. */
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
  })
  .refine((v) => new Date(v.from) < new Date(v.to), { message: "from must be before to", path: ["from"] });

/**
 * "Recover failed bookings" for a time range: every request created in [from, to] that still has no Cal.com booking
 * (queued for manual booking, or stuck pending/failed) is re-checked and booked, or flagged as a conflict.
 */
export async function recoverFailedBookings(db: Db, input: z.input<typeof recoverFailedSchema>, actor: Actor): Promise<RecoveryReport & { considered: number }> {
  const q = recoverFailedSchema.parse(input);
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
      if ((ACTIVE_STATES as readonly string[]).includes(existing.state) && existing.state !== "claimed") ids.push(existing.id);
      continue;
    }
    // A pending request older than a minute that never got its answer (process died mid-call): queue it, then recover.
    if (appt.status === "pending" && appt.syncStatus !== "failed" && Date.now() - appt.createdAt.getTime() < 60_000) continue;
    const [company] = await db.select().from(companies).where(eq(companies.id, appt.companyId));
    const ctx = await contextFor(db, appt);
    const manual = await db.transaction((tx) => queueManualBooking(tx, appt, { reasonCode: "calcom_failing", message: appt.syncError ?? "The booking request never got an answer from Cal.com" }, { company: company!, serviceName: ctx.serviceName }));
    ids.push(manual.id);
  }
  await db.transaction((tx) =>
    writeAudit(tx, { actor, action: "booking.recover-failed", targetType: "company", targetId: q.companyId ?? null, companyId: q.companyId ?? null, details: { from: q.from, to: q.to, considered: ids.length } }),
  );
  if (ids.length && q.companyId && !(await isCircuitPassable(db, q.companyId))) {
    throw new AppError("UNAVAILABLE", `The circuit of company ${q.companyId} is open; ${ids.length} request(s) stay queued and the recovery job books them once it closes.`);
  }
  return { ...(await runItems(db, ids, { actor })), considered: ids.length };
}
