import "server-only";
import { reconcileRemoteBookings, type ReconcileRun } from "@/drizzle/schema/reconcile";
import type { CalcomHttp } from "@/lib/calcom/client";
import { listBookings } from "@/lib/calcom/endpoints";
import { paginationSchema, type CalcomBooking } from "@/lib/calcom/schemas";
import type { Db } from "@/lib/db/types";
import type { RemoteRow } from "./compare";
import { ALL_LIST_FILTERS } from "./status-map";

/** GET /v2/bookings allows at most 250 per page (contract §3.4, §6.12). */
export const PAGE_SIZE = 250;
/** A guard against a list that never ends (offset paging over a moving set): 2,000 pages = 500,000 bookings. */
const MAX_PAGES = 2_000;

export function toRemoteRow(b: CalcomBooking): RemoteRow {
  const attendee = b.attendees?.[0];
  return {
    uid: b.uid,
    bookingId: b.id,
    startsAt: new Date(b.start),
    endsAt: new Date(b.end),
    status: b.status.toLowerCase(),
    eventTypeId: b.eventType?.id ?? b.eventTypeId ?? null,
    attendeeName: attendee?.name ?? null,
    attendeeEmail: attendee?.email ?? null,
  };
}

/**
 * Pages through Cal.com's bookings of the run's range (every status bucket; afterUpdatedAt for incremental runs) and
 * writes each page into reconcile_remote_bookings as it arrives: only one page is ever held in memory.
 */
export async function stageRemoteBookings(db: Db, http: CalcomHttp, run: ReconcileRun): Promise<{ pages: number; remoteCount: number }> {
  let pages = 0;
  let remoteCount = 0;
  const teamId = http.target.teamId;
  for (let skip = 0; pages < MAX_PAGES; skip += PAGE_SIZE) {
    const page = await listBookings(http, {
      status: [...ALL_LIST_FILTERS],
      teamsIds: teamId ? [teamId] : undefined,
      afterStart: run.rangeFrom,
      beforeEnd: run.rangeTo,
      afterUpdatedAt: run.updatedSince ?? undefined,
      sortStart: "asc",
      take: PAGE_SIZE,
      skip,
    });
    pages++;
    remoteCount += page.data.length;
    if (page.data.length) {
      await db
        .insert(reconcileRemoteBookings)
        .values(page.data.map((b) => ({ runId: run.id, ...toRemoteRow(b) })))
        // Offset paging over a set that changes meanwhile can return a booking twice.
        .onConflictDoNothing();
    }
    const pagination = paginationSchema.safeParse(page.pagination);
    const hasNext = pagination.success && pagination.data.hasNextPage !== undefined ? pagination.data.hasNextPage : page.data.length === PAGE_SIZE;
    if (!hasNext || page.data.length === 0) break;
  }
  return { pages, remoteCount };
}
