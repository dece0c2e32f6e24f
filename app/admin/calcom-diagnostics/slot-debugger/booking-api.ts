"use client";

import type { ManageResultJson } from "@/lib/booking/manage";
import type { BookingResultJson } from "@/lib/booking/view";
import { fetchJson } from "@/lib/client/fetch-json";
import type { DebugResult } from "@/lib/slots/context";

/** The test booking goes through the production booking routes (lib/booking): service id, attendee, idempotency key. */
export function bookSlot(
  result: DebugResult,
  start: string,
  attendee: { name: string; email: string; phone?: string },
  attemptKey: string,
) {
  return fetchJson<BookingResultJson>("/api/admin/calcom/bookings", {
    method: "POST",
    json: {
      companyId: result.companyId,
      serviceId: result.service?.id,
      start,
      attendee: { ...attendee, timeZone: result.timeZone },
      idempotencyKey: `slot-debugger-${attemptKey}`,
    },
  });
}

export function cancelUid(companyId: number, uid: string) {
  return fetchJson<ManageResultJson>(`/api/admin/calcom/bookings/${encodeURIComponent(uid)}/cancel`, {
    method: "POST",
    json: { reason: "Slot debugger test booking", companyId },
  });
}

/** The local appointments list (raw rows; only the fields the test needs). */
export type AppointmentRow = {
  id: number;
  status: string;
  syncStatus: string;
  calcomBookingUid: string | null;
  calcomBookingId: number | null;
  previousUids: string[];
  rescheduledFromUid: string | null;
};

export async function findAppointment(companyId: number, uid: string): Promise<AppointmentRow | null> {
  const list = await fetchJson<{ items: AppointmentRow[] }>(
    `/api/admin/calcom/appointments?companyId=${companyId}&bookingUid=${encodeURIComponent(uid)}`,
  );
  return list.items[0] ?? null;
}

export function debugAgain(result: DebugResult) {
  const q = new URLSearchParams({
    companyId: String(result.companyId),
    eventTypeId: String(result.eventTypeId),
    from: result.range.from,
    to: result.range.to,
    timeZone: result.timeZone,
  });
  return fetchJson<DebugResult>(`/api/admin/calcom/slots?${q}`);
}
