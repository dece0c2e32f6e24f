import "server-only";
import { and, asc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { appointments } from "@/drizzle/schema/core";
import { reconcileItems, reconcileRemoteBookings, type ReconcileRun } from "@/drizzle/schema/reconcile";
import type { Db } from "@/lib/db/types";
import { localSnapshot, remoteSnapshot } from "./compare";
import { ACTIVE_LOCAL_STATUSES } from "./status-map";

/** Groups are found by GROUP BY in PostgreSQL; only the (few) duplicated rows are read back, a chunk of groups at a time. */
const GROUPS_PER_CHUNK = 200;

/** The same slot booked more than once at Cal.com: same event type, start and attendee, all active. */
export async function findRemoteDuplicates(db: Db, run: ReconcileRun): Promise<void> {
  const r = reconcileRemoteBookings;
  const who = sql<string>`lower(coalesce(${r.attendeeEmail}, ${r.attendeeName}, ''))`;
  const groups = await db
    .select({ uids: sql<string[]>`array_agg(${r.uid} order by ${r.bookingId})` })
    .from(r)
    .where(and(eq(r.runId, run.id), inArray(r.status, ["accepted", "pending"])))
    .groupBy(r.eventTypeId, r.startsAt, who)
    .having(sql`count(*) > 1`);
  for (let i = 0; i < groups.length; i += GROUPS_PER_CHUNK) {
    const chunk = groups.slice(i, i + GROUPS_PER_CHUNK);
    const uids = chunk.flatMap((g) => g.uids);
    const rows = await db
      .select({ r, appointmentId: appointments.id })
      .from(r)
      .leftJoin(appointments, eq(appointments.calcomBookingUid, r.uid))
      .where(and(eq(r.runId, run.id), inArray(r.uid, uids)))
      .orderBy(asc(r.bookingId));
    const items = chunk.map((g) => {
      const members = rows.filter((row) => g.uids.includes(row.r.uid));
      const first = members[0]!.r;
      return {
        runId: run.id,
        companyId: run.companyId,
        class: "duplicate_calcom" as const,
        bookingUid: first.uid,
        diff: [{ field: "bookings", local: members.filter((m) => m.appointmentId).length, calcom: members.length }],
        related: { bookings: members.map((m) => remoteSnapshot(m.r, m.appointmentId)) },
      };
    });
    if (items.length) await db.insert(reconcileItems).values(items);
  }
}

/** The same appointment recorded more than once locally: same event type, start and attendee, all active. */
export async function findLocalDuplicates(db: Db, run: ReconcileRun): Promise<void> {
  const a = appointments;
  const who = sql<string>`lower(coalesce(${a.attendeeEmail}, ${a.attendeePhone}, ${a.attendeeName}, ''))`;
  const scope = and(
    eq(a.companyId, run.companyId),
    gte(a.startsAt, run.rangeFrom),
    lte(a.endsAt, run.rangeTo),
    inArray(a.status, [...ACTIVE_LOCAL_STATUSES]),
  );
  const groups = await db
    .select({ ids: sql<number[]>`array_agg(${a.id} order by ${a.id})` })
    .from(a)
    .where(scope)
    .groupBy(a.calcomEventTypeId, a.startsAt, who)
    .having(sql`count(*) > 1`);
  for (let i = 0; i < groups.length; i += GROUPS_PER_CHUNK) {
    const chunk = groups.slice(i, i + GROUPS_PER_CHUNK);
    const rows = await db
      .select()
      .from(a)
      .where(
        inArray(
          a.id,
          chunk.flatMap((g) => g.ids.map(Number)),
        ),
      );
    const items = chunk.map((g) => {
      const members = g.ids.map((id) => rows.find((row) => row.id === Number(id))!).filter(Boolean);
      const first = members[0]!;
      return {
        runId: run.id,
        companyId: run.companyId,
        class: "duplicate_local" as const,
        appointmentId: first.id,
        diff: [
          { field: "appointments", local: members.length, calcom: members.filter((m) => m.calcomBookingUid).length },
        ],
        related: { appointments: members.map(localSnapshot) },
      };
    });
    if (items.length) await db.insert(reconcileItems).values(items);
  }
}
