import "server-only";
import { and, asc, eq, gte, inArray, isNull, lte, notExists, sql, type SQL } from "drizzle-orm";
import { appointments } from "@/drizzle/schema/core";
import { reconcileItems, reconcileRemoteBookings, type ReconcileRun } from "@/drizzle/schema/reconcile";
import type { CalcomHttp } from "@/lib/calcom/client";
import { getBooking } from "@/lib/calcom/endpoints";
import { CalcomError } from "@/lib/calcom/errors";
import type { Db } from "@/lib/db/types";
import { comparePair, isLinkCandidate, localSnapshot, remoteSnapshot, type LocalRow, type RemoteRow } from "./compare";
import { toRemoteRow } from "./remote";
import { isActiveApiStatus, isActiveLocalStatus } from "./status-map";

/** Rows per keyset chunk: bounded memory whatever the size of the range. */
const CHUNK = 1_000;
/** Single-booking look-ups per run for linked appointments the list did not return (each is one API call). */
const MAX_LOOKUPS = 100;

type NewItem = typeof reconcileItems.$inferInsert;
export type PassStats = { localCount: number; lookups: number };

const localColumns = {
  id: appointments.id,
  status: appointments.status,
  startsAt: appointments.startsAt,
  endsAt: appointments.endsAt,
  calcomEventTypeId: appointments.calcomEventTypeId,
  calcomBookingUid: appointments.calcomBookingUid,
  attendeeName: appointments.attendeeName,
  attendeeEmail: appointments.attendeeEmail,
  updatedAt: appointments.updatedAt,
  companyId: appointments.companyId,
};
const remoteColumns = {
  uid: reconcileRemoteBookings.uid,
  bookingId: reconcileRemoteBookings.bookingId,
  startsAt: reconcileRemoteBookings.startsAt,
  endsAt: reconcileRemoteBookings.endsAt,
  status: reconcileRemoteBookings.status,
  eventTypeId: reconcileRemoteBookings.eventTypeId,
  attendeeName: reconcileRemoteBookings.attendeeName,
  attendeeEmail: reconcileRemoteBookings.attendeeEmail,
};

/** The appointments a run compares: the company's, inside the range (same bounds as afterStart/beforeEnd). */
function localScope(run: ReconcileRun): SQL {
  const where = [
    eq(appointments.companyId, run.companyId),
    gte(appointments.startsAt, run.rangeFrom),
    lte(appointments.endsAt, run.rangeTo),
  ];
  if (run.updatedSince) where.push(gte(appointments.updatedAt, run.updatedSince));
  return and(...where)!;
}

function isInLocalScope(
  run: ReconcileRun,
  a: { startsAt: Date; endsAt: Date; updatedAt: Date; companyId: number },
): boolean {
  return (
    a.companyId === run.companyId &&
    a.startsAt >= run.rangeFrom &&
    a.endsAt <= run.rangeTo &&
    (!run.updatedSince || a.updatedAt >= run.updatedSince)
  );
}

/** An item for a local appointment and its Cal.com booking that disagree (comparePair's finding). */
function pairItem(
  run: ReconcileRun,
  a: LocalRow,
  r: RemoteRow,
  found: NonNullable<ReturnType<typeof comparePair>>,
): NewItem {
  return {
    runId: run.id,
    companyId: run.companyId,
    class: found.class,
    diff: found.diff,
    appointmentId: a.id,
    bookingUid: r.uid,
    local: localSnapshot(a),
    calcom: remoteSnapshot(r, a.id),
  };
}

async function insertItems(db: Db, items: NewItem[]): Promise<void> {
  if (items.length) await db.insert(reconcileItems).values(items);
}

/** GET /v2/bookings/{uid} for a linked appointment the list missed: moved out of the range, or gone. */
async function lookUp(http: CalcomHttp, uid: string): Promise<RemoteRow | "not-found"> {
  try {
    return toRemoteRow((await getBooking(http, uid)).data);
  } catch (error) {
    if (error instanceof CalcomError && error.status === 404) return "not-found";
    throw error;
  }
}

/** Unlinked active bookings of this run starting at one of `starts`: link candidates for unlinked appointments. */
async function unlinkedRemoteAt(db: Db, runId: number, starts: Date[]): Promise<RemoteRow[]> {
  if (!starts.length) return [];
  return db
    .select(remoteColumns)
    .from(reconcileRemoteBookings)
    .where(
      and(
        eq(reconcileRemoteBookings.runId, runId),
        inArray(reconcileRemoteBookings.startsAt, starts),
        inArray(reconcileRemoteBookings.status, ["accepted", "pending"]),
        notExists(
          db
            .select({ one: sql`1` })
            .from(appointments)
            .where(eq(appointments.calcomBookingUid, reconcileRemoteBookings.uid)),
        ),
      ),
    );
}

/**
 * Pass 1: keyset-walk the run's appointments by (startsAt, id), each chunk joined to the staged bookings by uid.
 * Finds mismatched pairs and active appointments with no booking (with a link candidate when one fits).
 */
export async function walkLocal(db: Db, http: CalcomHttp, run: ReconcileRun): Promise<PassStats> {
  const stats: PassStats = { localCount: 0, lookups: 0 };
  let cursor: { startsAt: Date; id: number } | null = null;
  for (;;) {
    const where = [localScope(run)];
    // Keyset as a plain range on starts_at plus a tie-break: the planner walks appointments_company_starts from the
    // cursor with an incremental sort, so every chunk costs the same however deep the walk is.
    if (cursor)
      where.push(
        sql`${appointments.startsAt} >= ${cursor.startsAt.toISOString()}::timestamptz and (${appointments.startsAt} > ${cursor.startsAt.toISOString()}::timestamptz or ${appointments.id} > ${cursor.id})`,
      );
    const rows = await db
      .select({ a: localColumns, r: remoteColumns })
      .from(appointments)
      .leftJoin(
        reconcileRemoteBookings,
        and(eq(reconcileRemoteBookings.runId, run.id), eq(reconcileRemoteBookings.uid, appointments.calcomBookingUid)),
      )
      .where(and(...where))
      .orderBy(asc(appointments.startsAt), asc(appointments.id))
      .limit(CHUNK);
    if (!rows.length) break;
    stats.localCount += rows.length;
    const items: NewItem[] = [];
    const unlinked: LocalRow[] = [];
    for (const { a, r } of rows) {
      if (r) {
        const found = comparePair(a, r);
        if (found) items.push(pairItem(run, a, r, found));
      } else if (!isActiveLocalStatus(a.status)) {
        continue; // cancelled, rejected or waiting in the manual queue: no booking expected
      } else if (!a.calcomBookingUid) {
        unlinked.push(a);
      } else if (stats.lookups < MAX_LOOKUPS) {
        stats.lookups++;
        const remote = await lookUp(http, a.calcomBookingUid);
        const found = remote === "not-found" ? null : comparePair(a, remote);
        if (remote === "not-found") {
          items.push({
            runId: run.id,
            companyId: run.companyId,
            class: "missing_in_calcom",
            diff: [{ field: "booking", local: a.calcomBookingUid, calcom: null }],
            appointmentId: a.id,
            bookingUid: a.calcomBookingUid,
            local: localSnapshot(a),
          });
        } else if (found) {
          items.push(pairItem(run, a, remote, found));
        }
      } else if (!run.updatedSince) {
        // Over the look-up budget: the list of the range did not contain it, which is reported unverified.
        items.push({
          runId: run.id,
          companyId: run.companyId,
          class: "missing_in_calcom",
          diff: [
            {
              field: "booking",
              local: a.calcomBookingUid,
              calcom: null,
              expected: "not in Cal.com's list for the range (not looked up)",
            },
          ],
          appointmentId: a.id,
          bookingUid: a.calcomBookingUid,
          local: localSnapshot(a),
        });
      }
    }
    const candidates = await unlinkedRemoteAt(
      db,
      run.id,
      [...new Set(unlinked.map((a) => a.startsAt.getTime()))].map((t) => new Date(t)),
    );
    for (const a of unlinked) {
      const candidate = candidates.find((r) => isLinkCandidate(a, r));
      items.push({
        runId: run.id,
        companyId: run.companyId,
        class: "missing_in_calcom",
        diff: [{ field: "booking", local: null, calcom: candidate?.uid ?? null }],
        appointmentId: a.id,
        local: localSnapshot(a),
        ...(candidate
          ? {
              bookingUid: candidate.uid,
              calcom: remoteSnapshot(candidate, null),
              related: { candidateBookingUid: candidate.uid },
            }
          : {}),
      });
    }
    await insertItems(db, items);
    const last = rows[rows.length - 1]!.a;
    cursor = { startsAt: last.startsAt, id: last.id };
    if (rows.length < CHUNK) break;
  }
  return stats;
}

/**
 * Pass 2: keyset-walk the staged bookings by (startsAt, uid). Finds active bookings with no appointment (orphans) and
 * pairs whose appointment lies outside pass 1's scope (moved out of the range, or unchanged in an incremental run).
 */
export async function walkRemote(db: Db, run: ReconcileRun): Promise<void> {
  let cursor: { startsAt: Date; uid: string } | null = null;
  for (;;) {
    const where: SQL[] = [eq(reconcileRemoteBookings.runId, run.id)];
    if (cursor)
      where.push(
        sql`${reconcileRemoteBookings.startsAt} >= ${cursor.startsAt.toISOString()}::timestamptz and (${reconcileRemoteBookings.startsAt} > ${cursor.startsAt.toISOString()}::timestamptz or ${reconcileRemoteBookings.uid} > ${cursor.uid})`,
      );
    const rows = await db
      .select({ r: remoteColumns, a: localColumns })
      .from(reconcileRemoteBookings)
      .leftJoin(appointments, eq(appointments.calcomBookingUid, reconcileRemoteBookings.uid))
      .where(and(...where))
      .orderBy(asc(reconcileRemoteBookings.startsAt), asc(reconcileRemoteBookings.uid))
      .limit(CHUNK);
    if (!rows.length) break;
    const items: NewItem[] = [];
    const orphans: RemoteRow[] = [];
    for (const { r, a } of rows) {
      if (!a) {
        if (isActiveApiStatus(r.status)) orphans.push(r);
      } else if (a.companyId === run.companyId && !isInLocalScope(run, a)) {
        const found = comparePair(a, r);
        if (found) items.push(pairItem(run, a, r, found));
      }
    }
    const starts = [...new Set(orphans.map((r) => r.startsAt.getTime()))].map((t) => new Date(t));
    const unlinked = starts.length
      ? await db
          .select(localColumns)
          .from(appointments)
          .where(
            and(
              eq(appointments.companyId, run.companyId),
              isNull(appointments.calcomBookingUid),
              inArray(appointments.startsAt, starts),
            ),
          )
      : [];
    for (const r of orphans) {
      const candidate = unlinked.find((a) => isActiveLocalStatus(a.status) && isLinkCandidate(a, r));
      items.push({
        runId: run.id,
        companyId: run.companyId,
        class: "missing_locally",
        diff: [{ field: "appointment", local: candidate?.id ?? null, calcom: r.uid }],
        bookingUid: r.uid,
        calcom: remoteSnapshot(r, null),
        ...(candidate
          ? {
              appointmentId: candidate.id,
              local: localSnapshot(candidate),
              related: { candidateAppointmentId: candidate.id },
            }
          : {}),
      });
    }
    await insertItems(db, items);
    const last = rows[rows.length - 1]!.r;
    cursor = { startsAt: last.startsAt, uid: last.uid };
    if (rows.length < CHUNK) break;
  }
}
