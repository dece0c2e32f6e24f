import type { ManualBooking } from "@/drizzle/schema/booking";
import type { Appointment } from "@/drizzle/schema/core";
import type { CalcomBooking } from "@/lib/calcom/schemas";
import type { Exchange } from "@/lib/calcom/transport";

/** JSON shapes the booking routes answer with (documented in docs/booking.md). */

export type AppointmentJson = {
  id: number;
  companyId: number;
  serviceId: number | null;
  status: Appointment["status"];
  startsAt: string;
  endsAt: string;
  timeZone: string;
  attendee: { name: string | null; email: string | null; phone: string | null };
  calcomBookingId: number | null;
  calcomBookingUid: string | null;
  calcomEventTypeId: number | null;
  syncStatus: Appointment["syncStatus"];
  syncError: string | null;
  idempotencyKey: string | null;
  createdAt: string;
  /** Earlier Cal.com uids of this appointment (reschedules), oldest first; the uid it replaced last. */
  previousUids: string[];
  rescheduledFromUid: string | null;
};

export function appointmentJson(
  a: Appointment,
  chain: { previousUids: string[]; rescheduledFromUid: string | null } = { previousUids: [], rescheduledFromUid: null },
): AppointmentJson {
  return {
    id: a.id,
    companyId: a.companyId,
    serviceId: a.serviceId,
    status: a.status,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    timeZone: a.timeZone,
    attendee: { name: a.attendeeName, email: a.attendeeEmail, phone: a.attendeePhone },
    calcomBookingId: a.calcomBookingId,
    calcomBookingUid: a.calcomBookingUid,
    calcomEventTypeId: a.calcomEventTypeId,
    syncStatus: a.syncStatus,
    syncError: a.syncError,
    idempotencyKey: a.idempotencyKey,
    createdAt: a.createdAt.toISOString(),
    previousUids: chain.previousUids,
    rescheduledFromUid: chain.rescheduledFromUid,
  };
}

export type ManualBookingJson = {
  id: number;
  state: ManualBooking["state"];
  reasonCode: ManualBooking["reasonCode"];
  reason: string;
  conflictReason: string | null;
  attempts: number;
  lastError: string | null;
  claimedBy: string | null;
  createdAt: string;
};

export function manualBookingJson(m: ManualBooking): ManualBookingJson {
  return {
    id: m.id,
    state: m.state,
    reasonCode: m.reasonCode,
    reason: m.reason,
    conflictReason: m.conflictReason,
    attempts: m.attempts,
    lastError: m.lastError,
    claimedBy: m.claimedByLabel,
    createdAt: m.createdAt.toISOString(),
  };
}

/** What Cal.com was sent and answered, for the test-booking panel (the key is already redacted by the client). */
export function exchangeJson(e: Exchange | null | undefined) {
  if (!e) return null;
  return { request: e.request, response: e.response ?? null, durationMs: e.durationMs, error: e.error ?? null };
}

type BookingOutcome = "booked" | "pending_confirmation" | "manual" | "replay";

export type BookingResultJson = {
  outcome: BookingOutcome;
  isReplay: boolean;
  appointmentId: number;
  uid: string | null;
  calcomBookingId: number | null;
  service: { id: number; name: string; eventTypeId: number; matchedBy: string };
  appointment: AppointmentJson;
  manualBooking: ManualBookingJson | null;
  booking: CalcomBooking | null;
  calcom: ReturnType<typeof exchangeJson>;
};
