import "server-only";
import { outageOf } from "@/lib/booking/calcom-attempt";
import { createCalcomHttp } from "@/lib/calcom/client";
import { getBooking } from "@/lib/calcom/endpoints";
import type { Db } from "@/lib/db/types";
import type { ApplyContext } from "./appointment-state";

/**
 * Contract §8.3: newer Cal.com (PR #27546) queues BOOKING_REQUESTED for a reschedule with the booking uid only, no
 * rescheduleUid. The link is still in the API: GET /v2/bookings/{uid} answers `rescheduledFromUid`. Asked before
 * anything is created, so a reschedule that needs confirmation moves its appointment instead of adding a second one.
 */
export type RequestedLookup = { oldUid: string | null; note: string };

export async function lookUpRescheduledFrom(ctx: ApplyContext, uid: string): Promise<RequestedLookup> {
  // The call runs on the delivery's transaction (its call log and breaker writes too), so PGlite's single connection
  // is never asked for a second one while this transaction holds it.
  const http = await createCalcomHttp(ctx.tx as Db, ctx.companyId);
  if (!http.target.apiKey) return { oldUid: null, note: "no Cal.com key configured: not looked up" };
  try {
    const { data } = await getBooking(http, uid);
    const from = data.rescheduledFromUid ?? null;
    return {
      oldUid: from && from !== uid ? from : null,
      note: from ? `Cal.com says it was rescheduled from ${from}` : "Cal.com names no booking it replaces",
    };
  } catch (error) {
    // Cal.com unavailable: retried later rather than creating an appointment that may be a duplicate.
    if (outageOf(error)) throw error;
    return { oldUid: null, note: `lookup failed (${error instanceof Error ? error.message : String(error)})` };
  }
}
