import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { appointments, companies, services, type Appointment } from "@/drizzle/schema/core";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { buildEvents, type TimelineEvent } from "./events";
import { collectUidChain, findAppointmentForUid, loadTimelineSources } from "./load";

/**
 * The booking timeline: the whole story of one appointment (by id) or one booking-uid chain (by uid), in order.
 * Served as JSON at GET /api/admin/calcom/appointments/{id}/timeline and shown at /admin/calcom-diagnostics/appointments/{id}.
 */

/** A numeric appointment id, or a Cal.com booking uid (booking uids are never all digits). */
const timelineKeySchema = z.union([
  z.coerce.number().int().positive(),
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{6,100}$/, "Not an appointment id or a booking uid"),
]);

export type Timeline = {
  subject: {
    appointmentId: number | null;
    companyId: number | null;
    companyName: string | null;
    serviceName: string | null;
    status: Appointment["status"] | null;
    startsAt: string | null;
    idempotencyKey: string | null;
    currentUid: string | null;
    /** Every uid of the chain, the appointment's current one included. */
    uids: string[];
    attendee: { name: string | null; email: string | null; phone: string | null } | null;
  };
  events: TimelineEvent[];
  generatedAt: string;
};

export async function getTimeline(db: Db, rawKey: string | number): Promise<Timeline> {
  const parsed = timelineKeySchema.safeParse(rawKey);
  if (!parsed.success) throw new AppError("BAD_REQUEST", `"${rawKey}" is not an appointment id or a booking uid`);
  const key = parsed.data;
  let appt: Appointment | null;
  if (typeof key === "number") {
    [appt = null] = await db.select().from(appointments).where(eq(appointments.id, key));
    if (!appt) throw new AppError("NOT_FOUND", `Appointment #${key} does not exist`);
  } else {
    appt = await findAppointmentForUid(db, key);
  }
  const uids = await collectUidChain(
    db,
    [...(appt?.calcomBookingUid ? [appt.calcomBookingUid] : []), ...(typeof key === "string" ? [key] : [])],
    appt?.id ?? null,
  );
  let companyId = appt?.companyId ?? null;
  if (!appt) {
    // A booking made in Cal.com that never became an appointment: its deliveries name the company.
    const [d] = await db
      .select({ companyId: webhookDeliveries.companyId })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.bookingUid, key as string))
      .limit(1);
    companyId = d?.companyId ?? null;
  }
  const sources = await loadTimelineSources(db, { appointment: appt, uids, companyId });
  const events = buildEvents(appt, sources);
  if (!appt && events.length === 0) throw new AppError("NOT_FOUND", `Nothing is recorded about booking ${String(key)}`);
  const [names] = companyId
    ? await db
        .select({ company: companies.name, service: services.name })
        .from(companies)
        .leftJoin(services, eq(services.id, appt?.serviceId ?? -1))
        .where(eq(companies.id, companyId))
    : [];
  return {
    subject: {
      appointmentId: appt?.id ?? null,
      companyId,
      companyName: names?.company ?? null,
      serviceName: names?.service ?? null,
      status: appt?.status ?? null,
      startsAt: appt ? appt.startsAt.toISOString() : null,
      idempotencyKey: appt?.idempotencyKey ?? null,
      currentUid: appt?.calcomBookingUid ?? (typeof key === "string" ? key : null),
      uids,
      attendee: appt ? { name: appt.attendeeName, email: appt.attendeeEmail, phone: appt.attendeePhone } : null,
    },
    events,
    generatedAt: new Date().toISOString(),
  };
}
