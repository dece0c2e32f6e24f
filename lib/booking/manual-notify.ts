import "server-only";
import type { ManualBooking } from "@/drizzle/schema/booking";
import type { Appointment } from "@/drizzle/schema/core";
import type { DbOrTx } from "@/lib/db/types";
import { enqueueNotification } from "@/lib/outbox/outbox";
import { formatLocal } from "@/lib/time/format";
import { getEnv } from "@/lib/config/env";

/** Staff notifications of the manual-booking queue, written in the same transaction as the queue change. */

function panelLink(companyId: number): string {
  const base = getEnv().APP_URL?.replace(/\/$/, "") ?? "";
  return `${base}/admin/calcom-diagnostics/bookings?company=${companyId}`;
}

type Context = { companyName: string; companyTimeZone: string; serviceName: string };

function describe(appt: Appointment, ctx: Context): string[] {
  return [
    `Company: ${ctx.companyName}`,
    `Service: ${ctx.serviceName} (Cal.com event type ${appt.calcomEventTypeId ?? "none"})`,
    `Time: ${formatLocal(appt.startsAt, ctx.companyTimeZone)} = ${appt.startsAt.toISOString()}`,
    `Attendee: ${appt.attendeeName ?? "?"}, ${appt.attendeeEmail ?? "no email"}, ${appt.attendeePhone ?? "no phone"}`,
    `Appointment #${appt.id}`,
  ];
}

export async function notifyManualBookingNeeded(
  tx: DbOrTx,
  appt: Appointment,
  manual: ManualBooking,
  ctx: Context,
): Promise<void> {
  await enqueueNotification(tx, {
    companyId: appt.companyId,
    topic: "booking.manual_required",
    subject: `Manual booking needed: ${ctx.serviceName}, ${formatLocal(appt.startsAt, ctx.companyTimeZone)}`,
    text: [
      `A booking request could not be sent to Cal.com and waits in the manual-booking queue (#${manual.id}).`,
      `Reason: ${manual.reason}`,
      ...describe(appt, ctx),
      `Work the queue: ${panelLink(appt.companyId)}`,
    ].join("\n"),
    data: {
      manualBookingId: manual.id,
      appointmentId: appt.id,
      reasonCode: manual.reasonCode,
      startsAt: appt.startsAt.toISOString(),
      eventTypeId: appt.calcomEventTypeId,
    },
    dedupeKey: `manual-booking:${manual.id}:queued`,
  });
}

export async function notifyManualBookingConflict(
  tx: DbOrTx,
  appt: Appointment,
  manual: ManualBooking,
  conflict: string,
  ctx: Context,
): Promise<void> {
  await enqueueNotification(tx, {
    companyId: appt.companyId,
    topic: "booking.manual_conflict",
    subject: `Booking needs a person: ${ctx.serviceName}, ${formatLocal(appt.startsAt, ctx.companyTimeZone)}`,
    text: [
      `Recovery could not book queued request #${manual.id}: ${conflict}`,
      "Call the customer to agree on another time, then mark it booked by hand or cancel it.",
      ...describe(appt, ctx),
      `Work the queue: ${panelLink(appt.companyId)}`,
    ].join("\n"),
    data: { manualBookingId: manual.id, appointmentId: appt.id, conflict },
    dedupeKey: `manual-booking:${manual.id}:conflict`,
  });
}
