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

/** Above this many bookings the range is paged in time windows (offset paging costs grow with the offset); tests
 * pass a smaller windowBookings. */
const WINDOW_BOOKINGS = 5_000;
/** Each window also asks for bookings ending up to a day past it, so one that straddles a boundary is not lost. */
const OVERLAP_MS = 86_400_000;

type Window = { afterStart: Date; beforeEnd: Date };

/** Offset-pages one window into reconcile_remote_bookings; returns the first answer's total and what was new. */
async function stageWindow(
  db: Db,
  http: CalcomHttp,
  run: ReconcileRun,
  w: Window,
  opts: { maxPages: number; skip?: number },
): Promise<{ pages: number; staged: number; total: number | null; hasMore: boolean }> {
  let pages = 0;
  let staged = 0;
  let total: number | null = null;
  let hasMore = false;
  const teamId = http.target.teamId;
  for (let skip = opts.skip ?? 0; pages < opts.maxPages; skip += PAGE_SIZE) {
    const page = await listBookings(http, {
      status: [...ALL_LIST_FILTERS],
      teamsIds: teamId ? [teamId] : undefined,
      afterStart: w.afterStart,
      beforeEnd: w.beforeEnd,
      afterUpdatedAt: run.updatedSince ?? undefined,
      sortStart: "asc",
      take: PAGE_SIZE,
      skip,
    });
    pages++;
    const pagination = paginationSchema.safeParse(page.pagination);
    if (total === null) total = pagination.success ? (pagination.data.totalItems ?? null) : null;
    if (page.data.length) {
      const inserted = await db
        .insert(reconcileRemoteBookings)
        .values(page.data.map((b) => ({ runId: run.id, ...toRemoteRow(b) })))
        // Offset paging over a set that changes meanwhile, and overlapping windows, can return a booking twice.
        .onConflictDoNothing()
        .returning({ uid: reconcileRemoteBookings.uid });
      staged += inserted.length;
    }
    const hasNext =
      pagination.success && pagination.data.hasNextPage !== undefined
        ? pagination.data.hasNextPage
        : page.data.length === PAGE_SIZE;
    hasMore = hasNext && page.data.length > 0;
    if (!hasMore) break;
  }
  return { pages, staged, total, hasMore };
}

/**
 * Pages through Cal.com's bookings of the run's range (every status bucket; afterUpdatedAt for incremental runs) and
 * writes each page into reconcile_remote_bookings as it arrives: only one page is ever held in memory. When the first
 * page says the range holds more than WINDOW_BOOKINGS, the range is split into time windows of about that many
 * (each overlapping the next by a day, duplicates dropped), so no request pages deep into a long offset.
 */
export async function stageRemoteBookings(
  db: Db,
  http: CalcomHttp,
  run: ReconcileRun,
  opts: { windowBookings?: number } = {},
): Promise<{ pages: number; remoteCount: number }> {
  const windowBookings = opts.windowBookings ?? WINDOW_BOOKINGS;
  const whole = { afterStart: run.rangeFrom, beforeEnd: run.rangeTo };
  const probe = await stageWindow(db, http, run, whole, { maxPages: 1 });
  if (probe.total === null || probe.total <= windowBookings) {
    const rest = probe.hasMore
      ? await stageWindow(db, http, run, whole, { maxPages: MAX_PAGES - 1, skip: PAGE_SIZE })
      : { pages: 0, staged: 0 };
    return { pages: probe.pages + rest.pages, remoteCount: probe.staged + rest.staged };
  }
  const count = Math.ceil(probe.total / windowBookings);
  const from = run.rangeFrom.getTime();
  const span = (run.rangeTo.getTime() - from) / count;
  let pages = probe.pages;
  let remoteCount = probe.staged;
  for (let i = 0; i < count; i++) {
    const end =
      i === count - 1 ? run.rangeTo.getTime() : Math.min(run.rangeTo.getTime(), from + (i + 1) * span + OVERLAP_MS);
    const w = await stageWindow(
      db,
      http,
      run,
      { afterStart: new Date(from + i * span), beforeEnd: new Date(end) },
      { maxPages: MAX_PAGES },
    );
    pages += w.pages;
    remoteCount += w.staged;
  }
  return { pages, remoteCount };
}
