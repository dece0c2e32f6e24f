import "server-only";
import * as clock from "@/lib/time/clock";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { bookingUidHistory } from "@/drizzle/schema/booking";
import { appointments, type Appointment } from "@/drizzle/schema/core";
import { writeAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/roles";
import { createCalcomHttp } from "@/lib/calcom/client";
import { cancelBooking, rescheduleBooking } from "@/lib/calcom/endpoints";
import { CalcomError } from "@/lib/calcom/errors";
import type { CalcomBooking } from "@/lib/calcom/schemas";
import { getCompanyOrThrow } from "@/lib/companies/companies";
import type { Db, Tx } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { correlationForUid } from "@/lib/timeline/correlation";
import { dropExpectation, expectWebhook } from "@/lib/watchdog/expectations";
import { checkSlotOffered, nearbyText, outageOf, slotCapacityOrOne } from "./calcom-attempt";
import { markBooked } from "./book";
import { formatLocal } from "@/lib/time/format";
import { parseOrBadRequest } from "@/lib/errors";
import { classifyBookingRefusal, isAmbiguousBookingRefusal, refusalError } from "./refusal";
import { cancelInputSchema, rescheduleInputSchema } from "./schemas";
import { claimSlot, releaseSlotClaims } from "./slot-claims";
import { appointmentJson, exchangeJson, type AppointmentJson } from "./view";

/** Cancel and reschedule, always by the booking uid (a numeric id is the cancellation incident: 404). */

export type ManageResultJson = {
  uid: string;
  /** The new uid after a reschedule; equal to uid after a cancel. */
  newUid: string;
  appointment: AppointmentJson | null;
  booking: CalcomBooking;
  calcom: ReturnType<typeof exchangeJson>;
  /** Every uid this appointment had, oldest first. */
  uidChain: string[];
};

function assertUidShape(uid: string): void {
  if (/^\d+$/.test(uid))
    throw new AppError(
      "BAD_REQUEST",
      `"${uid}" is a numeric booking id; cancel and reschedule need the booking uid (e.g. "cvaRt5SvAUZG9W8up7eKz1").`,
      { reason: "numeric_id" },
    );
  if (!/^[A-Za-z0-9_-]{6,100}$/.test(uid)) throw new AppError("BAD_REQUEST", `"${uid}" is not a Cal.com booking uid`);
}

/**
 * Cal.com refusing a cancel or reschedule (unknown uid, already cancelled, time taken, invalid input) is the caller's
 * problem: a clear 4xx, not the 502 of an upstream failure. Outages and our own configuration (key, team) stay 5xx.
 */
function asClientError(error: unknown, uid: string): unknown {
  if (!(error instanceof CalcomError) || outageOf(error)) return error;
  const details = { reason: "calcom_refused", calcom: error.toJSON() };
  if (error.calCode === "CAL-011")
    return new AppError("NOT_FOUND", `Cal.com has no booking with uid ${uid}: ${error.message}`, details);
  if (error.calCode === "CAL-003" || error.calCode === "CAL-009")
    return new AppError("CONFLICT", `Cal.com refused the time: ${error.message}`, details);
  if (error.calCode === "CAL-014" || error.calCode === "CAL-004" || error.calCode === "CAL-008")
    return new AppError("BAD_REQUEST", `Cal.com refused the request: ${error.message}`, details);
  return error;
}

async function uidChain(db: Db, appointmentId: number, current: string | null): Promise<string[]> {
  const rows = await db
    .select()
    .from(bookingUidHistory)
    .where(eq(bookingUidHistory.appointmentId, appointmentId))
    .orderBy(bookingUidHistory.id);
  const chain = rows.map((r) => r.fromUid);
  if (current) chain.push(current);
  return chain;
}

function companyFor(appt: Appointment | null, companyId: number | undefined, uid: string): number {
  if (appt) {
    if (companyId && companyId !== appt.companyId)
      throw new AppError("NOT_FOUND", `Booking ${uid} does not belong to company ${companyId}`);
    return appt.companyId;
  }
  if (!companyId)
    throw new AppError(
      "NOT_FOUND",
      `No appointment has booking uid ${uid}; pass companyId to act on a booking made elsewhere.`,
    );
  return companyId;
}

/** Who asked rides in the input; without an actor (a test, a replay) nothing is audited. */
type Audited = { actor?: Actor };
export type CancelInput = z.input<typeof cancelInputSchema> & Audited;
export type RescheduleInput = z.input<typeof rescheduleInputSchema> & Audited;

/** The booking both operations act on: its appointment (when the app made it) and its company. */
async function bookingTarget(db: Db, uid: string, companyId: number | undefined) {
  const [row] = await db.select().from(appointments).where(eq(appointments.calcomBookingUid, uid));
  const appt: Appointment | null = row ?? null;
  return { appt, companyId: companyFor(appt, companyId, uid) };
}

/** Cal.com calls about the booking are correlated by its uid (the timeline finds them). */
async function calcomFor(db: Db, companyId: number, uid: string) {
  const http = await createCalcomHttp(db, companyId);
  http.correlation = correlationForUid(uid);
  return http;
}

/** Both operations audit the booking by its uid, and only when someone asked. */
async function auditBooking(
  tx: Tx,
  actor: Actor | undefined,
  entry: Omit<Parameters<typeof writeAudit>[1], "actor" | "targetType">,
): Promise<void> {
  if (actor) await writeAudit(tx, { actor, targetType: "booking", ...entry });
}

export async function cancelByUid(db: Db, input: CancelInput): Promise<ManageResultJson> {
  assertUidShape(input.uid);
  const c = parseOrBadRequest(cancelInputSchema, input);
  const { uid } = c;
  const { appt, companyId } = await bookingTarget(db, uid, c.companyId);
  const http = await calcomFor(db, companyId, uid);
  const expected = await expectWebhook(db, { companyId, appointmentId: appt?.id, action: "cancel", bookingUid: uid });
  const { data, exchange } = await cancelBooking(http, uid, { cancellationReason: c.reason }).catch(
    async (error: unknown) => {
      await dropExpectation(db, expected?.id);
      throw asClientError(error, uid);
    },
  );
  let updated: Appointment | null = null;
  await db.transaction(async (tx) => {
    if (appt) {
      [updated = null] = await tx
        .update(appointments)
        .set({ status: "cancelled", syncStatus: "synced", syncError: null, updatedAt: clock.now() })
        .where(eq(appointments.id, appt.id))
        .returning();
      await releaseSlotClaims(tx, appt.id);
    }
    await auditBooking(tx, input.actor, {
      action: "booking.cancel",
      targetId: uid,
      companyId,
      reason: c.reason,
      details: { appointmentId: appt?.id ?? null },
    });
  });
  const a = updated as Appointment | null;
  return {
    uid,
    newUid: uid,
    appointment: a ? appointmentJson(a) : null,
    booking: data,
    calcom: exchangeJson(exchange),
    uidChain: a ? await uidChain(db, a.id, uid) : [uid],
  };
}

/** Cal.com answers with a NEW booking (new uid and id); the appointment takes the new uid and keeps the old in its chain. */
export async function rescheduleByUid(db: Db, input: RescheduleInput): Promise<ManageResultJson> {
  assertUidShape(input.uid);
  const r = parseOrBadRequest(rescheduleInputSchema, input);
  const { uid } = r;
  const { appt, companyId } = await bookingTarget(db, uid, r.companyId);
  if (r.start.getTime() <= clock.nowMs())
    throw new AppError("BAD_REQUEST", `start ${r.start.toISOString()} is in the past`);
  if (appt && (appt.status === "cancelled" || appt.status === "rejected"))
    throw new AppError("CONFLICT", `Booking ${uid} is ${appt.status}; it cannot be rescheduled`);
  const company = await getCompanyOrThrow(db, companyId);
  const http = await calcomFor(db, companyId, uid);
  if (appt?.calcomEventTypeId) {
    const check = await checkSlotOffered(http, {
      eventTypeId: appt.calcomEventTypeId,
      start: r.start,
      timeZone: company.timeZone,
      bookingUidToReschedule: uid,
    });
    if (!check.isOffered) {
      throw new AppError(
        "CONFLICT",
        `${formatLocal(r.start, company.timeZone)} is not offered.${nearbyText(check.nearby, company.timeZone)}`,
        { reason: "slot_not_offered", nearby: check.nearby },
      );
    }
    const capacity = await slotCapacityOrOne(http, appt.calcomEventTypeId);
    const claimed = await db.transaction((tx) =>
      claimSlot(tx, {
        companyId,
        eventTypeId: appt.calcomEventTypeId!,
        startsAt: r.start,
        appointmentId: appt.id,
        capacity,
      }),
    );
    if (!claimed.ok)
      throw new AppError("CONFLICT", `${formatLocal(r.start, company.timeZone)} is already taken`, {
        reason: "slot_taken",
        heldByAppointmentIds: claimed.heldByAppointmentIds,
      });
  }
  let result;
  const expected = await expectWebhook(db, {
    companyId,
    appointmentId: appt?.id,
    action: "reschedule",
    bookingUid: uid,
  });
  try {
    result = await rescheduleBooking(http, uid, { start: r.start, reschedulingReason: r.reason });
  } catch (error) {
    await dropExpectation(db, expected?.id);
    if (appt?.calcomEventTypeId)
      await db.transaction((tx) =>
        releaseSlotClaims(tx, appt.id, { eventTypeId: appt.calcomEventTypeId!, startsAt: appt.startsAt }),
      );
    // §8.1: a plain 400 is "taken" only when Cal.com no longer offers the time (lib/booking/refusal.ts).
    if (appt?.calcomEventTypeId && isAmbiguousBookingRefusal(error)) {
      const verdict = await classifyBookingRefusal(
        http,
        {
          eventTypeId: appt.calcomEventTypeId,
          start: r.start,
          timeZone: company.timeZone,
          bookingUidToReschedule: uid,
        },
        error,
      );
      if (verdict.kind === "refused") throw refusalError(verdict, { calcom: error.toJSON() });
      throw new AppError("CONFLICT", verdict.message, {
        reason: "slot_taken",
        nearby: verdict.nearby,
        calcom: error.toJSON(),
      });
    }
    throw asClientError(error, uid);
  }
  const booking = result.data;
  let updated: Appointment | null = null;
  await db.transaction(async (tx) => {
    if (appt) {
      await tx.insert(bookingUidHistory).values({
        appointmentId: appt.id,
        fromUid: uid,
        toUid: booking.uid,
        fromStartsAt: appt.startsAt,
        toStartsAt: new Date(booking.start),
        reason: r.reason ?? null,
      });
      updated = await markBooked(tx, appt.id, booking);
      if (appt.calcomEventTypeId)
        await releaseSlotClaims(tx, appt.id, {
          eventTypeId: appt.calcomEventTypeId,
          startsAt: new Date(booking.start),
        });
    }
    await auditBooking(tx, input.actor, {
      action: "booking.reschedule",
      targetId: uid,
      companyId,
      reason: r.reason ?? null,
      details: { newUid: booking.uid, start: booking.start, appointmentId: appt?.id ?? null },
    });
  });
  const a = updated as Appointment | null;
  const chain = a ? await uidChain(db, a.id, booking.uid) : [uid, booking.uid];
  const previousUids = [...new Set(chain.slice(0, -1))];
  return {
    uid,
    newUid: booking.uid,
    appointment: a ? appointmentJson(a, { previousUids, rescheduledFromUid: uid }) : null,
    booking,
    calcom: exchangeJson(result.exchange),
    uidChain: chain,
  };
}
