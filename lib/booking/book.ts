import "server-only";
import * as clock from "@/lib/time/clock";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import {
  manualBookings,
  type ManualBooking,
  type ManualBookingReason,
  type ManualBookingRequest,
} from "@/drizzle/schema/booking";
import { appointments, services, type Appointment, type Company } from "@/drizzle/schema/core";
import { writeAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/roles";
import { createCalcomHttp } from "@/lib/calcom/client";
import type { CalcomBooking } from "@/lib/calcom/schemas";
import type { Exchange } from "@/lib/calcom/transport";
import { getCompanyOrThrow } from "@/lib/companies/companies";
import type { Db, DbOrTx } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { correlationForKey } from "@/lib/timeline/correlation";
import { expectWebhook } from "@/lib/watchdog/expectations";
import {
  buildBookingFields,
  checkSlotOffered,
  nearbyText,
  outageOf,
  sendBooking,
  knownSlotCapacity,
} from "./calcom-attempt";
import { isFallbackModeActive } from "./fallback-mode";
import { formatLocal } from "@/lib/time/format";
import { notifyManualBookingNeeded } from "./manual-notify";
import { resolveService, type ResolvedService } from "./resolve-service";
import { parseOrBadRequest } from "@/lib/errors";
import { bookInputSchema, type BookInput } from "./schemas";
import { assertAttendeeAcceptable, classifyBookingRefusal, isAmbiguousBookingRefusal, refusalError } from "./refusal";
import { claimSlot, releaseSlotClaims } from "./slot-claims";
import { appointmentJson, exchangeJson, manualBookingJson, type BookingResultJson } from "./view";

/**
 * The booking flow: resolve the service -> check Cal.com offers the slot -> claim the slot (all instances) ->
 * POST /v2/bookings with attendee, time zone, required fields and metadata.idempotencyKey -> store id and uid.
 * While Cal.com is unavailable or fallback mode is on, the request becomes an appointment that requires manual
 * booking (never lost) and staff are notified through the outbox.
 */

type Outage = { reasonCode: ManualBookingReason; message: string };

/** Booked appointments keep Cal.com's status: "pending" when the event type requires confirmation. */
function statusFromBooking(b: CalcomBooking): Appointment["status"] {
  return b.status === "pending"
    ? "pending"
    : b.status === "cancelled"
      ? "cancelled"
      : b.status === "rejected"
        ? "rejected"
        : "confirmed";
}

export async function markBooked(db: DbOrTx, appointmentId: number, b: CalcomBooking): Promise<Appointment> {
  const [row] = await db
    .update(appointments)
    .set({
      status: statusFromBooking(b),
      calcomBookingId: b.id,
      calcomBookingUid: b.uid,
      startsAt: new Date(b.start),
      endsAt: new Date(b.end),
      syncStatus: "synced",
      syncError: null,
      updatedAt: clock.now(),
    })
    .where(eq(appointments.id, appointmentId))
    .returning();
  if (!row) throw new Error(`appointment ${appointmentId} vanished`);
  return row;
}

/** Turn an appointment into a manual-booking request; call inside the transaction that changes it. */
export async function queueManualBooking(
  tx: DbOrTx,
  appt: Appointment,
  outage: Outage,
  ctx: { company: Company; serviceName: string; request?: ManualBookingRequest },
): Promise<ManualBooking> {
  const [updated] = await tx
    .update(appointments)
    .set({
      status: "requires_manual_booking",
      syncStatus: "failed",
      syncError: outage.message.slice(0, 500),
      updatedAt: clock.now(),
    })
    .where(eq(appointments.id, appt.id))
    .returning();
  const [manual] = await tx
    .insert(manualBookings)
    .values({
      companyId: appt.companyId,
      appointmentId: appt.id,
      reasonCode: outage.reasonCode,
      reason: outage.message.slice(0, 500),
      request: ctx.request ?? null,
    })
    .onConflictDoUpdate({
      target: manualBookings.appointmentId,
      // A re-queue keeps the answers recorded the first time.
      set: {
        state: "open",
        reasonCode: outage.reasonCode,
        reason: outage.message.slice(0, 500),
        request: sql`coalesce(excluded.request, ${manualBookings.request})`,
        updatedAt: clock.now(),
      },
    })
    .returning();
  if (!manual || !updated) throw new Error("manual booking insert returned nothing");
  await notifyManualBookingNeeded(tx, updated, manual, {
    companyName: ctx.company.name,
    companyTimeZone: ctx.company.timeZone,
    serviceName: ctx.serviceName,
  });
  return manual;
}

type ServiceJson = BookingResultJson["service"];

function serviceJson(r: ResolvedService): ServiceJson {
  return { id: r.service.id, name: r.service.name, eventTypeId: r.eventTypeId, matchedBy: r.matchedBy };
}

function result(
  outcome: BookingResultJson["outcome"],
  appt: Appointment,
  service: ServiceJson,
  extra: { manual?: ManualBooking | null; booking?: CalcomBooking | null; exchange?: Exchange | null } = {},
): BookingResultJson {
  return {
    outcome,
    isReplay: outcome === "replay",
    appointmentId: appt.id,
    uid: appt.calcomBookingUid,
    calcomBookingId: appt.calcomBookingId,
    service,
    appointment: appointmentJson(appt),
    manualBooking: extra.manual ? manualBookingJson(extra.manual) : null,
    booking: extra.booking ?? null,
    calcom: exchangeJson(extra.exchange),
  };
}

async function replay(db: Db, appt: Appointment): Promise<BookingResultJson> {
  if (appt.status === "rejected") {
    throw new AppError(
      "CONFLICT",
      `This request (idempotency key ${appt.idempotencyKey}) was already refused: ${appt.syncError ?? "slot unavailable"}`,
      { reason: "replay_refused", appointmentId: appt.id },
    );
  }
  const [service] = appt.serviceId ? await db.select().from(services).where(eq(services.id, appt.serviceId)) : [];
  const [manual] = await db.select().from(manualBookings).where(eq(manualBookings.appointmentId, appt.id));
  return result(
    "replay",
    appt,
    {
      id: appt.serviceId ?? 0,
      name: service?.name ?? "(deleted service)",
      eventTypeId: appt.calcomEventTypeId ?? 0,
      matchedBy: "id",
    },
    { manual: manual ?? null },
  );
}

async function findByKey(db: DbOrTx, companyId: number, key: string): Promise<Appointment | null> {
  const [row] = await db
    .select()
    .from(appointments)
    .where(and(eq(appointments.companyId, companyId), eq(appointments.idempotencyKey, key)));
  return row ?? null;
}

export async function bookAppointment(
  db: Db,
  /** `source` names the surface in the audit entry ("admin" unless said); without an actor nothing is audited. */
  input: BookInput & { actor?: Actor; source?: string },
): Promise<BookingResultJson> {
  const req = parseOrBadRequest(bookInputSchema, input);
  // Cal.com's own attendee rules (libphonenumber-js/max, isEmail): most refusals never leave the app (§8.1).
  assertAttendeeAcceptable(req.attendee);
  const company = await getCompanyOrThrow(db, req.companyId);
  if (req.idempotencyKey) {
    const existing = await findByKey(db, company.id, req.idempotencyKey);
    if (existing) return replay(db, existing);
  }
  const resolved = await resolveService(db, { companyId: company.id, service: req.service });
  if (req.start.getTime() <= clock.nowMs())
    throw new AppError("BAD_REQUEST", `start ${req.start.toISOString()} is in the past`, { reason: "past" });
  const eventTypeId = resolved.eventTypeId;
  const idempotencyKey = req.idempotencyKey ?? `auto-${randomUUID()}`;
  const http = await createCalcomHttp(db, company.id);
  http.correlation = correlationForKey(idempotencyKey);

  const fallback = await isFallbackModeActive(db, company.id);
  let outage: Outage | null = fallback.isActive
    ? {
        reasonCode: "fallback_mode",
        message: `Fallback mode is on until ${fallback.expiresAt ? formatLocal(fallback.expiresAt, company.timeZone) : "further notice"}: ${fallback.reason ?? "no reason given"}`,
      }
    : null;
  let fields: Record<string, unknown> = req.bookingFieldsResponses ?? {};
  const callerRequest: ManualBookingRequest = { notes: req.notes, bookingFieldsResponses: req.bookingFieldsResponses };
  let capacity = 1;
  if (!outage) {
    try {
      const check = await checkSlotOffered(http, { eventTypeId, start: req.start, timeZone: company.timeZone });
      if (!check.isOffered) {
        throw new AppError(
          "CONFLICT",
          `${resolved.service.name} is not offered at ${formatLocal(req.start, company.timeZone)}.${nearbyText(check.nearby, company.timeZone, " No free time nearby.")}`,
          {
            reason: "slot_not_offered",
            nearby: check.nearby,
            eventTypeId,
          },
        );
      }
      ({ fields, capacity } = await buildBookingFields(http, eventTypeId, {
        email: req.attendee.email ?? null,
        phone: req.attendee.phone ?? null,
        notes: req.notes,
        responses: req.bookingFieldsResponses,
      }));
    } catch (error) {
      const o = outageOf(error);
      if (!o) throw error;
      outage = o;
    }
  }
  if (outage) capacity = await knownSlotCapacity(http, eventTypeId);

  const created = await db.transaction(async (tx) => {
    const [appt] = await tx
      .insert(appointments)
      .values({
        companyId: company.id,
        serviceId: resolved.service.id,
        startsAt: req.start,
        endsAt: new Date(req.start.getTime() + resolved.service.durationMinutes * 60_000),
        timeZone: req.attendee.timeZone,
        status: "pending",
        attendeeName: req.attendee.name,
        attendeeEmail: req.attendee.email ?? null,
        attendeePhone: req.attendee.phone ?? null,
        calcomEventTypeId: eventTypeId,
        syncStatus: "pending",
        idempotencyKey,
      })
      .onConflictDoNothing()
      .returning();
    if (!appt) return null;
    const claim = await claimSlot(tx, {
      companyId: company.id,
      eventTypeId,
      startsAt: req.start,
      appointmentId: appt.id,
      capacity,
    });
    if (!claim.ok) {
      throw new AppError(
        "CONFLICT",
        `${formatLocal(req.start, company.timeZone)} is already taken for ${resolved.service.name} (appointment ${claim.heldByAppointmentIds.map((id) => `#${id}`).join(", ")}). Pick another time.`,
        {
          reason: "slot_taken",
          heldByAppointmentIds: claim.heldByAppointmentIds,
        },
      );
    }
    const manual = outage
      ? await queueManualBooking(tx, appt, outage, {
          company,
          serviceName: resolved.service.name,
          request: callerRequest,
        })
      : null;
    if (input.actor) {
      await writeAudit(tx, {
        actor: input.actor,
        action: "booking.create",
        targetType: "appointment",
        targetId: appt.id,
        companyId: company.id,
        details: {
          serviceId: resolved.service.id,
          eventTypeId,
          start: req.start.toISOString(),
          source: input.source ?? "admin",
          manual: outage?.reasonCode ?? null,
        },
      });
    }
    return { appt, manual };
  });
  if (!created) {
    const existing = await findByKey(db, company.id, req.idempotencyKey!);
    if (!existing)
      throw new AppError(
        "CONFLICT",
        "A concurrent request with the same idempotency key is in flight; retry in a moment",
      );
    return replay(db, existing);
  }
  const [fresh] = await db.select().from(appointments).where(eq(appointments.id, created.appt.id));
  if (created.manual) return result("manual", fresh ?? created.appt, serviceJson(resolved), { manual: created.manual });

  const sentAt = new Date();
  const attempt = await sendBooking(http, created.appt, fields);
  if (attempt.kind === "booked") {
    const booked = await markBooked(db, created.appt.id, attempt.booking);
    await expectWebhook(db, {
      companyId: company.id,
      appointmentId: booked.id,
      action: "create",
      bookingUid: attempt.booking.uid,
      since: sentAt,
    });
    return result(booked.status === "pending" ? "pending_confirmation" : "booked", booked, serviceJson(resolved), {
      booking: attempt.booking,
      exchange: attempt.exchange,
    });
  }
  if (attempt.kind === "outage") {
    const { appt, manual } = await db.transaction(async (tx) => {
      const manual = await queueManualBooking(
        tx,
        created.appt,
        { reasonCode: attempt.reasonCode, message: attempt.message },
        { company, serviceName: resolved.service.name, request: callerRequest },
      );
      const [appt] = await tx.select().from(appointments).where(eq(appointments.id, created.appt.id));
      return { appt: appt!, manual };
    });
    return result("manual", appt, serviceJson(resolved), { manual });
  }
  // §8.1: a 400 says neither "taken" nor "bad input"; Cal.com's own slots answer decides (lib/booking/refusal.ts).
  const verdict = isAmbiguousBookingRefusal(attempt.error)
    ? await classifyBookingRefusal(http, { eventTypeId, start: req.start, timeZone: company.timeZone }, attempt.error)
    : null;
  const isTaken = verdict ? verdict.kind === "taken" : attempt.kind === "taken";
  const message = verdict?.message ?? attempt.message;
  await db.transaction(async (tx) => {
    // Either way the slot is not held: the claim goes, so the time stays bookable for the next caller.
    // A refusal of the caller's data frees the idempotency key: the agent retries with corrected data under the same key.
    const key =
      verdict?.kind === "refused"
        ? { idempotencyKey: `${created.appt.idempotencyKey}#refused-${created.appt.id}` }
        : {};
    await tx
      .update(appointments)
      .set({
        status: "rejected",
        syncStatus: "failed",
        syncError: message.slice(0, 500),
        updatedAt: clock.now(),
        ...key,
      })
      .where(eq(appointments.id, created.appt.id));
    await releaseSlotClaims(tx, created.appt.id);
  });
  const base = { appointmentId: created.appt.id, calcom: attempt.details };
  if (verdict?.kind === "refused") throw refusalError(verdict, base);
  throw new AppError(isTaken ? "CONFLICT" : "BAD_REQUEST", message, {
    reason: isTaken ? "slot_taken" : "calcom_rejected",
    ...base,
    ...(verdict?.kind === "taken" ? { nearby: verdict.nearby } : {}),
  });
}
