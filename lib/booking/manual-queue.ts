import "server-only";
import * as clock from "@/lib/time/clock";
import { and, asc, count, desc, eq, gt, inArray, lt, min, type SQL } from "drizzle-orm";
import { z } from "zod";
import { MANUAL_BOOKING_STATES, manualBookings, type ManualBooking } from "@/drizzle/schema/booking";
import { appointments, companies, services, type Appointment } from "@/drizzle/schema/core";
import { writeAudit } from "@/lib/audit/audit";
import { actorLabel, type Actor } from "@/lib/auth/roles";
import { createCalcomHttp } from "@/lib/calcom/client";
import { getBooking } from "@/lib/calcom/endpoints";
import { CalcomError } from "@/lib/calcom/errors";
import type { Db, DbOrTx, Tx } from "@/lib/db/types";
import { AppError, parseOrBadRequest } from "@/lib/errors";
import { markBooked } from "./book";
import { outageOf } from "./calcom-attempt";
import { releaseSlotClaims } from "./slot-claims";
import { appointmentJson, manualBookingJson, type AppointmentJson, type ManualBookingJson } from "./view";
import { companyIdSchema, idSchema } from "@/lib/http/params";

/** The manual-booking queue: list with age, claim, mark booked by hand (Cal.com uid), cancel. Retry lives in recovery.ts. */

export const ACTIVE_STATES = ["open", "claimed", "conflict"] as const;

/**
 * Requests waiting for a person (open, claimed, conflict) per company, with the oldest one's queue time. The one
 * definition of "the manual queue" for alerts, the overview and the metrics (manual_bookings_company_state_id).
 */
export async function waitingByCompany(
  db: DbOrTx,
  opts: { companyId?: number } = {},
): Promise<Map<number, { size: number; oldest: Date }>> {
  const rows = await db
    .select({ companyId: manualBookings.companyId, size: count(), oldest: min(manualBookings.createdAt) })
    .from(manualBookings)
    .where(
      and(
        inArray(manualBookings.state, [...ACTIVE_STATES]),
        opts.companyId ? eq(manualBookings.companyId, opts.companyId) : undefined,
      ),
    )
    .groupBy(manualBookings.companyId);
  return new Map(rows.map((r) => [r.companyId, { size: Number(r.size), oldest: new Date(r.oldest!) }]));
}

export const listManualQuerySchema = z.object({
  companyId: companyIdSchema.optional(),
  /** "active" (default) = open, claimed and conflict, oldest first; a single state lists newest first. */
  state: z.enum(["active", ...MANUAL_BOOKING_STATES]).default("active"),
  cursor: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type ManualQueueItem = ManualBookingJson & {
  companyId: number;
  companyName: string;
  serviceName: string | null;
  ageSeconds: number;
  appointment: AppointmentJson;
};

export async function listManualBookings(
  db: Db,
  query: z.input<typeof listManualQuerySchema>,
  now = clock.now(),
): Promise<{ items: ManualQueueItem[]; nextCursor: number | null }> {
  const q = listManualQuerySchema.parse(query);
  const isActive = q.state === "active";
  const where: SQL[] = [
    isActive
      ? inArray(manualBookings.state, [...ACTIVE_STATES])
      : eq(manualBookings.state, q.state as ManualBooking["state"]),
  ];
  if (q.companyId) where.push(eq(manualBookings.companyId, q.companyId));
  if (q.cursor) where.push(isActive ? gt(manualBookings.id, q.cursor) : lt(manualBookings.id, q.cursor));
  const rows = await db
    .select({ m: manualBookings, a: appointments, companyName: companies.name, serviceName: services.name })
    .from(manualBookings)
    .innerJoin(appointments, eq(appointments.id, manualBookings.appointmentId))
    .innerJoin(companies, eq(companies.id, manualBookings.companyId))
    .leftJoin(services, eq(services.id, appointments.serviceId))
    .where(and(...where))
    .orderBy(isActive ? asc(manualBookings.id) : desc(manualBookings.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit).map((r) => ({
    ...manualBookingJson(r.m),
    companyId: r.m.companyId,
    companyName: r.companyName,
    serviceName: r.serviceName,
    ageSeconds: Math.max(0, Math.round((now.getTime() - r.m.createdAt.getTime()) / 1000)),
    appointment: appointmentJson(r.a),
  }));
  return { items, nextCursor: rows.length > q.limit ? (items.at(-1)?.id ?? null) : null };
}

export async function loadManual(
  db: Db | Tx,
  id: number,
  opts: { forUpdate?: boolean } = {},
): Promise<{ manual: ManualBooking; appt: Appointment }> {
  const base = db
    .select({ m: manualBookings, a: appointments })
    .from(manualBookings)
    .innerJoin(appointments, eq(appointments.id, manualBookings.appointmentId))
    .where(eq(manualBookings.id, id));
  const [row] = opts.forUpdate ? await base.for("update", { of: manualBookings }) : await base;
  if (!row) throw new AppError("NOT_FOUND", `Manual booking #${id} does not exist`);
  return { manual: row.m, appt: row.a };
}

function assertActive(m: ManualBooking): void {
  if (!(ACTIVE_STATES as readonly string[]).includes(m.state))
    throw new AppError("CONFLICT", `Manual booking #${m.id} is already ${m.state}`);
}

export async function claimManualBooking(db: Db, input: { id: number; actor: Actor }): Promise<ManualBookingJson> {
  const { id, actor } = input;
  return db.transaction(async (tx) => {
    const { manual } = await loadManual(tx, id, { forUpdate: true });
    assertActive(manual);
    const label = actorLabel(actor);
    if (manual.state === "claimed" && manual.claimedByLabel !== label)
      throw new AppError("CONFLICT", `Manual booking #${id} is already claimed by ${manual.claimedByLabel}`);
    const [row] = await tx
      .update(manualBookings)
      .set({
        state: "claimed",
        claimedByLabel: label,
        claimedByUserId: actor.kind === "user" ? actor.userId : null,
        claimedAt: clock.now(),
        updatedAt: clock.now(),
      })
      .where(eq(manualBookings.id, id))
      .returning();
    await writeAudit(tx, {
      actor,
      action: "manual-booking.claim",
      targetType: "manual_booking",
      targetId: id,
      companyId: manual.companyId,
    });
    return manualBookingJson(row!);
  });
}

const resolveManualSchema = z.object({
  calcomUid: z
    .string()
    .trim()
    .min(6, "Enter the Cal.com booking uid")
    .max(100)
    .refine(
      (v) => !/^\d+$/.test(v),
      "That is a numeric booking id; enter the booking uid (e.g. cvaRt5SvAUZG9W8up7eKz1)",
    ),
  note: z.string().trim().max(500).optional(),
});

export type ResolveManualInput = z.input<typeof resolveManualSchema> & { id: number; actor: Actor };

/** A person booked it in Cal.com by hand: link the uid. Verified against Cal.com when it answers; stored as unverified otherwise. */
export async function resolveManualBooking(
  db: Db,
  input: ResolveManualInput,
): Promise<{ manualBooking: ManualBookingJson; appointment: AppointmentJson; isVerified: boolean }> {
  const { id, actor } = input;
  const r = parseOrBadRequest(resolveManualSchema, input);
  const { manual, appt } = await loadManual(db, id);
  assertActive(manual);
  // Booking by hand in Cal.com makes Cal.com announce the booking (webhook, reconciliation), which may already have
  // created an appointment of its own for the uid. That copy is this request: it is folded in, not a conflict.
  // An appointment that is itself a queued request, or belongs to another company, is a real conflict.
  const [taken] = await db
    .select({ id: appointments.id, companyId: appointments.companyId, queued: manualBookings.id })
    .from(appointments)
    .leftJoin(manualBookings, eq(manualBookings.appointmentId, appointments.id))
    .where(eq(appointments.calcomBookingUid, r.calcomUid));
  const duplicate = taken && taken.id !== appt.id ? taken : null;
  if (duplicate && (duplicate.queued !== null || duplicate.companyId !== appt.companyId)) {
    throw new AppError("CONFLICT", `Booking uid ${r.calcomUid} already belongs to appointment #${duplicate.id}`);
  }
  let booking = null;
  let unverifiedReason: string | null = null;
  try {
    booking = (await getBooking(await createCalcomHttp(db, manual.companyId), r.calcomUid)).data;
  } catch (error) {
    const outage = outageOf(error);
    if (!outage) {
      if (error instanceof CalcomError && error.calCode === "CAL-011")
        throw new AppError("BAD_REQUEST", `Cal.com has no booking with uid ${r.calcomUid}; check the uid in Cal.com`);
      throw error;
    }
    unverifiedReason = `Booked by hand; not yet verified with Cal.com (${outage.message})`;
  }
  if (booking?.status === "cancelled") throw new AppError("CONFLICT", `Cal.com booking ${r.calcomUid} is cancelled`);
  return db.transaction(async (tx) => {
    // Checked again under the row lock: the recovery job or another person may have closed it during the lookup.
    assertActive((await loadManual(tx, id, { forUpdate: true })).manual);
    if (duplicate) {
      await tx
        .update(appointments)
        .set({
          status: "cancelled",
          calcomBookingUid: null,
          calcomBookingId: null,
          syncError: `Duplicate of appointment #${appt.id}: the queued request that was booked by hand as ${r.calcomUid}`,
          updatedAt: clock.now(),
        })
        .where(eq(appointments.id, duplicate.id));
    }
    const updated = booking
      ? await markBooked(tx, appt.id, booking)
      : (
          await tx
            .update(appointments)
            .set({
              status: "confirmed",
              calcomBookingUid: r.calcomUid,
              syncStatus: "pending",
              syncError: unverifiedReason,
              updatedAt: clock.now(),
            })
            .where(eq(appointments.id, appt.id))
            .returning()
        )[0]!;
    const [row] = await tx
      .update(manualBookings)
      .set({
        state: "booked",
        resolvedAt: clock.now(),
        resolvedByLabel: actorLabel(actor),
        resolution: `Booked by hand: ${r.calcomUid}${r.note ? ` (${r.note})` : ""}`,
        updatedAt: clock.now(),
      })
      .where(eq(manualBookings.id, id))
      .returning();
    if (booking && appt.calcomEventTypeId)
      await releaseSlotClaims(tx, appt.id, { eventTypeId: appt.calcomEventTypeId, startsAt: updated.startsAt });
    await writeAudit(tx, {
      actor,
      action: "manual-booking.resolve",
      targetType: "manual_booking",
      targetId: id,
      companyId: manual.companyId,
      reason: r.note ?? null,
      details: {
        calcomUid: r.calcomUid,
        isVerified: Boolean(booking),
        mergedDuplicateAppointmentId: duplicate?.id ?? null,
      },
    });
    return {
      manualBooking: manualBookingJson(row!),
      appointment: appointmentJson(updated),
      isVerified: Boolean(booking),
    };
  });
}

const cancelManualSchema = z.object({
  reason: z.string().trim().min(3, "Give a reason (at least 3 characters)").max(500),
});

export type CancelManualInput = z.input<typeof cancelManualSchema> & { id: number; actor: Actor };

export async function cancelManualBooking(db: Db, input: CancelManualInput): Promise<ManualBookingJson> {
  const { id, actor } = input;
  const c = parseOrBadRequest(cancelManualSchema, input);
  return db.transaction(async (tx) => {
    const { manual, appt } = await loadManual(tx, id, { forUpdate: true });
    assertActive(manual);
    await tx
      .update(appointments)
      .set({ status: "cancelled", syncError: `Cancelled in the manual queue: ${c.reason}`, updatedAt: clock.now() })
      .where(eq(appointments.id, appt.id));
    await releaseSlotClaims(tx, appt.id);
    const [row] = await tx
      .update(manualBookings)
      .set({
        state: "cancelled",
        resolvedAt: clock.now(),
        resolvedByLabel: actorLabel(actor),
        resolution: `Cancelled: ${c.reason}`,
        updatedAt: clock.now(),
      })
      .where(eq(manualBookings.id, id))
      .returning();
    await writeAudit(tx, {
      actor,
      action: "manual-booking.cancel",
      targetType: "manual_booking",
      targetId: id,
      companyId: manual.companyId,
      reason: c.reason,
    });
    return manualBookingJson(row!);
  });
}
