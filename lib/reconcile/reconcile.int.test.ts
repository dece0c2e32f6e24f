import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appointments, auditLog } from "@/drizzle/schema/core";
import { reconcileItems, reconcileRemoteBookings, type ReconcileItem } from "@/drizzle/schema/reconcile";
import { sandboxBookings } from "@/drizzle/schema/sandbox";
import { berlin, createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { createTestCompany } from "@/lib/calcom/client-test-helpers";
import type { Db } from "@/lib/db/types";
import { getTestDb } from "@/test/db";
import { applyReconcileFix, bulkReconcileFix } from "./fixes";
import { getReconcileRun } from "./queries";
import { reconcileNow } from "./run";

// Every class planted in the sandbox (over HTTP, through its /_control/seed) and locally, found, fixed and audited.
let db: Db;
let fx: SandboxFixture;
let companyId: number;
const HERREN = 3757770; // 30 min
const KINDER = 3757772; // 30 min
const actor = { kind: "system", label: "reconcile-it", role: "operator" } as const;
const FROM = "2050-09-01T00:00:00Z";
const TO = "2050-09-30T00:00:00Z";

const t = (time: string, day = "2050-09-05") => new Date(berlin(day, time));
const plus = (d: Date, min: number) => new Date(d.getTime() + min * 60_000);
const uid = (name: string) => `rc${name}${Math.random().toString(36).slice(2, 10)}`;

type Plant = {
  uid: string;
  eventTypeId: number;
  start: Date;
  minutes?: number;
  status?: "accepted" | "pending" | "cancelled";
  email: string;
};
async function plantBookings(list: Plant[]) {
  const res = await fx.control("/seed", {
    body: {
      tenants: [],
      bookings: list.map((b) => ({
        uid: b.uid,
        eventTypeId: fx.et(b.eventTypeId),
        start: b.start.toISOString(),
        end: plus(b.start, b.minutes ?? 30).toISOString(),
        status: b.status ?? "accepted",
        attendee: { name: b.email.split("@")[0], email: b.email },
      })),
    },
  });
  expect(res.status).toBe(201);
}

async function plantAppointment(a: {
  start: Date;
  minutes?: number;
  eventTypeId?: number;
  status?: "confirmed" | "cancelled" | "pending";
  uid?: string | null;
  email: string;
}) {
  const [row] = await db
    .insert(appointments)
    .values({
      companyId,
      startsAt: a.start,
      endsAt: plus(a.start, a.minutes ?? 30),
      timeZone: "Europe/Berlin",
      status: a.status ?? "confirmed",
      attendeeName: a.email.split("@")[0],
      attendeeEmail: a.email,
      calcomEventTypeId: fx.et(a.eventTypeId ?? HERREN),
      calcomBookingUid: a.uid ?? null,
      syncStatus: a.uid ? "synced" : "not_synced",
    })
    .returning();
  return row!;
}

const ids: Record<string, number> = {};
const uids: Record<string, string> = {};
let firstRunId: number;
let items: ReconcileItem[];

beforeAll(async () => {
  db = await getTestDb();
  fx = await createSandboxFixture(db);
  ({ companyId } = await createTestCompany(db, { fx }));
  for (const k of ["ok", "orphan", "cand", "status", "time", "et", "dupA", "dupB", "dupL"]) uids[k] = uid(k);
  await plantBookings([
    { uid: uids.ok!, eventTypeId: HERREN, start: t("09:00"), email: "ok@example.com" },
    { uid: uids.orphan!, eventTypeId: HERREN, start: t("09:30"), email: "orphan@example.com" },
    { uid: uids.cand!, eventTypeId: HERREN, start: t("10:00"), email: "cand@example.com" },
    { uid: uids.status!, eventTypeId: HERREN, start: t("10:30"), status: "cancelled", email: "status@example.com" },
    { uid: uids.time!, eventTypeId: HERREN, start: t("11:30"), email: "time@example.com" },
    { uid: uids.et!, eventTypeId: KINDER, start: t("12:00"), email: "et@example.com" },
    { uid: uids.dupA!, eventTypeId: HERREN, start: t("13:00"), email: "dup@example.com" },
    { uid: uids.dupB!, eventTypeId: HERREN, start: t("13:00"), email: "dup@example.com" },
    { uid: uids.dupL!, eventTypeId: HERREN, start: t("14:00"), email: "dupl@example.com" },
  ]);
  ids.ok = (await plantAppointment({ start: t("09:00"), uid: uids.ok, email: "ok@example.com" })).id;
  ids.noBooking = (await plantAppointment({ start: t("10:00", "2050-09-06"), email: "nobooking@example.com" })).id;
  ids.ghost = (await plantAppointment({ start: t("15:00"), uid: uid("ghost"), email: "ghost@example.com" })).id;
  ids.cand = (await plantAppointment({ start: t("10:00"), email: "cand@example.com" })).id;
  ids.status = (await plantAppointment({ start: t("10:30"), uid: uids.status, email: "status@example.com" })).id;
  ids.time = (await plantAppointment({ start: t("11:00"), uid: uids.time, email: "time@example.com" })).id;
  ids.et = (
    await plantAppointment({ start: t("12:00"), uid: uids.et, eventTypeId: HERREN, email: "et@example.com" })
  ).id;
  ids.dupLinked = (await plantAppointment({ start: t("13:00"), uid: uids.dupA, email: "dup@example.com" })).id;
  ids.dupL1 = (await plantAppointment({ start: t("14:00"), uid: uids.dupL, email: "dupl@example.com" })).id;
  ids.dupL2 = (await plantAppointment({ start: t("14:00"), email: "DUPL@example.com" })).id;
  ids.cancelledNoBooking = (
    await plantAppointment({ start: t("16:00"), status: "cancelled", email: "gone@example.com" })
  ).id;

  const [run] = await reconcileNow(db, { input: { companyId, from: FROM, to: TO }, actor });
  expect(run).toMatchObject({ status: "completed", mode: "full", remoteCount: 9 });
  firstRunId = run!.id;
  items = (await getReconcileRun(db, firstRunId, { limit: 200 })).items;
});
afterAll(async () => {
  await fx?.close();
});

const find = (cls: string, pred: (i: ReconcileItem) => boolean = () => true) =>
  items.filter((i) => i.class === cls && pred(i));

describe("reconciliation finds every class", () => {
  it("records the run with its counts and drops the staged bookings", async () => {
    const { run } = await getReconcileRun(db, firstRunId, {});
    expect(run.counts).toEqual({
      missing_in_calcom: 4,
      missing_locally: 3,
      status_mismatch: 1,
      time_mismatch: 1,
      event_type_mismatch: 1,
      duplicate_calcom: 1,
      duplicate_local: 1,
    });
    expect(run.localCount).toBe(11);
    expect(run.lookups).toBe(1); // the appointment linked to a booking Cal.com does not have
    expect(
      await db.select().from(reconcileRemoteBookings).where(eq(reconcileRemoteBookings.runId, firstRunId)),
    ).toHaveLength(0);
  });

  it("confirmed locally without a Cal.com booking: unlinked, linked to a booking that does not exist, and with a link candidate", () => {
    expect(find("missing_in_calcom", (i) => i.appointmentId === ids.noBooking)).toHaveLength(1);
    const ghost = find("missing_in_calcom", (i) => i.appointmentId === ids.ghost)[0]!;
    expect(ghost.diff).toEqual([{ field: "booking", local: ghost.local!.bookingUid, calcom: null }]);
    expect(find("missing_in_calcom", (i) => i.appointmentId === ids.cand)[0]?.related).toEqual({
      candidateBookingUid: uids.cand,
    });
    // The second local duplicate has no booking of its own either.
    expect(find("missing_in_calcom", (i) => i.appointmentId === ids.dupL2)).toHaveLength(1);
    expect(items.some((i) => i.appointmentId === ids.ok || i.appointmentId === ids.cancelledNoBooking)).toBe(false);
  });

  it("Cal.com bookings with no appointment, with a link candidate when one fits", () => {
    expect(find("missing_locally", (i) => i.bookingUid === uids.orphan)[0]).toMatchObject({
      appointmentId: null,
      calcom: { uid: uids.orphan, status: "accepted" },
    });
    expect(find("missing_locally", (i) => i.bookingUid === uids.cand)[0]?.related).toEqual({
      candidateAppointmentId: ids.cand,
    });
  });

  it("status, time and event-type mismatches with a field-level diff", () => {
    expect(find("status_mismatch")[0]).toMatchObject({
      appointmentId: ids.status,
      diff: [{ field: "status", local: "confirmed", calcom: "cancelled", expected: "accepted" }],
    });
    expect(find("time_mismatch")[0]?.diff).toEqual([
      { field: "start", local: t("11:00").toISOString(), calcom: t("11:30").toISOString() },
      { field: "end", local: t("11:30").toISOString(), calcom: t("12:00").toISOString() },
    ]);
    expect(find("event_type_mismatch")[0]?.diff).toEqual([
      { field: "eventTypeId", local: fx.et(HERREN), calcom: fx.et(KINDER) },
    ]);
  });

  it("duplicates either way", () => {
    const remote = find("duplicate_calcom")[0]!;
    expect(remote.related?.bookings?.map((b) => [b.uid, b.linkedAppointmentId])).toEqual(
      expect.arrayContaining([
        [uids.dupA, ids.dupLinked],
        [uids.dupB, null],
      ]),
    );
    expect(find("duplicate_local")[0]?.related?.appointments?.map((a) => a.id)).toEqual([ids.dupL1, ids.dupL2]);
  });
});

describe("fixes", () => {
  const item = (cls: string, pred: (i: ReconcileItem) => boolean = () => true) => find(cls, pred)[0]!;
  const audits = async (itemId: number) =>
    db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "reconcile.fix"), eq(auditLog.targetId, String(itemId))));
  const appt = async (id: number) => (await db.select().from(appointments).where(eq(appointments.id, id)))[0]!;
  const booking = async (u: string) => (await db.select().from(sandboxBookings).where(eq(sandboxBookings.uid, u)))[0];

  it("adopt Cal.com's state on a status mismatch, audited", async () => {
    const fixed = await applyReconcileFix(db, {
      itemId: item("status_mismatch").id,
      fix: "adopt",
      actor,
      reason: "Cal.com is right",
    });
    expect(fixed).toMatchObject({ status: "fixed", fix: "adopt", resolvedBy: "reconcile-it" });
    expect((await appt(ids.status!)).status).toBe("cancelled");
    expect((await audits(fixed.id))[0]).toMatchObject({
      companyId,
      reason: "Cal.com is right",
      details: expect.objectContaining({ class: "status_mismatch", fix: "adopt" }),
    });
  });

  it("push ours: a booking is created at Cal.com for an appointment without one", async () => {
    await applyReconcileFix(db, {
      itemId: item("missing_in_calcom", (i) => i.appointmentId === ids.noBooking).id,
      fix: "push",
      actor,
    });
    const row = await appt(ids.noBooking!);
    expect(row.calcomBookingUid).toBeTruthy();
    expect(await booking(row.calcomBookingUid!)).toMatchObject({ status: "accepted", start: row.startsAt });
  });

  it("push ours on a time mismatch reschedules at Cal.com and links the new uid", async () => {
    await applyReconcileFix(db, { itemId: item("time_mismatch").id, fix: "push", actor });
    const row = await appt(ids.time!);
    expect(row.calcomBookingUid).not.toBe(uids.time);
    expect(await booking(uids.time!)).toMatchObject({ status: "cancelled", rescheduledToUid: row.calcomBookingUid });
    expect((await booking(row.calcomBookingUid!))?.start).toEqual(t("11:00"));
  });

  it("link connects the pair and settles both items", async () => {
    const local = item("missing_in_calcom", (i) => i.appointmentId === ids.cand);
    await applyReconcileFix(db, { itemId: local.id, fix: "link", actor });
    expect((await appt(ids.cand!)).calcomBookingUid).toBe(uids.cand);
    const [remote] = await db
      .select()
      .from(reconcileItems)
      .where(eq(reconcileItems.id, item("missing_locally", (i) => i.bookingUid === uids.cand).id));
    expect(remote).toMatchObject({ status: "fixed", resolvedBy: `reconcile-it (with item ${local.id})` });
  });

  it("adopt an orphaned booking creates the appointment", async () => {
    await applyReconcileFix(db, {
      itemId: item("missing_locally", (i) => i.bookingUid === uids.orphan).id,
      fix: "adopt",
      actor,
    });
    const [row] = await db.select().from(appointments).where(eq(appointments.calcomBookingUid, uids.orphan!));
    expect(row).toMatchObject({
      companyId,
      status: "confirmed",
      startsAt: t("09:30"),
      attendeeEmail: "orphan@example.com",
      calcomEventTypeId: fx.et(HERREN),
    });
  });

  it("refuses a fix that does not fit the class, and leaves the item open", async () => {
    const et = item("event_type_mismatch");
    await expect(applyReconcileFix(db, { itemId: et.id, fix: "push", actor })).rejects.toThrow(/cannot fix/);
    await expect(applyReconcileFix(db, { itemId: item("status_mismatch").id, fix: "adopt", actor })).rejects.toThrow(
      /already fixed/,
    );
  });

  it("bulk fixes per class: cancel the extra Cal.com duplicate, cancel the extra local duplicate, ignore the rest", async () => {
    expect(
      await bulkReconcileFix(db, { runId: firstRunId, class: "duplicate_calcom", fix: "push", actor }),
    ).toMatchObject({ fixed: 1, failed: 0 });
    expect((await booking(uids.dupB!))?.status).toBe("cancelled");
    expect((await booking(uids.dupA!))?.status).toBe("accepted");
    expect(
      await bulkReconcileFix(db, { runId: firstRunId, class: "duplicate_local", fix: "adopt", actor }),
    ).toMatchObject({ fixed: 1 });
    expect((await appt(ids.dupL2!)).status).toBe("cancelled");
    const ignored = await bulkReconcileFix(db, {
      runId: firstRunId,
      class: "event_type_mismatch",
      fix: "ignore",
      actor,
    });
    expect(ignored.fixed).toBe(1);
    const [bulkAudit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "reconcile.bulk-fix"), eq(auditLog.targetId, String(firstRunId))));
    expect(bulkAudit?.details).toMatchObject({ class: "duplicate_calcom", fix: "push", fixed: 1 });
  });

  it("a second full run no longer reports what was fixed", async () => {
    const [run] = await reconcileNow(db, { input: { companyId, from: FROM, to: TO }, actor });
    const again = (await getReconcileRun(db, run!.id, { limit: 200 })).items;
    expect(again.map((i) => [i.class, i.appointmentId ?? i.bookingUid]).sort()).toEqual(
      [
        ["event_type_mismatch", ids.et], // ignored, still true
        ["missing_in_calcom", ids.ghost],
      ].sort(),
    );
  });

  it("an incremental run asks only for what changed since the last completed run", async () => {
    const late = uid("late");
    await plantBookings([{ uid: late, eventTypeId: HERREN, start: t("17:00"), email: "late@example.com" }]);
    const [run] = await reconcileNow(db, { input: { companyId, from: FROM, to: TO, incremental: true }, actor });
    expect(run).toMatchObject({ status: "completed", mode: "incremental" });
    expect(run!.updatedSince).not.toBeNull();
    const found = (await getReconcileRun(db, run!.id, {})).items;
    // The new orphan is found; the unchanged ghost appointment is not looked at again.
    expect(found.map((i) => [i.class, i.bookingUid])).toEqual([["missing_locally", late]]);
  });
});
