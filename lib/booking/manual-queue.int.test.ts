import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { circuitBreakers } from "@/drizzle/schema/calcom";
import { manualBookings, outboxMessages } from "@/drizzle/schema/booking";
import { appointments } from "@/drizzle/schema/core";
import { sandboxBookings } from "@/drizzle/schema/sandbox";
import { resetSandbox } from "@/lib/calcom-sandbox/control";
import { setSandboxFaults } from "@/lib/calcom-sandbox/faults";
import { withSandboxFixture, startHookReceiver, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { addSandboxKey, breakerRow, thrown, upstreamCount } from "@/lib/calcom/client-test-helpers";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { deliverOutbox, enqueueNotification } from "@/lib/outbox/outbox";
import { bookAppointment } from "./book";
import { setFallbackMode } from "./fallback-mode";
import { cancelManualBooking, claimManualBooking, listManualBookings, resolveManualBooking } from "./manual-queue";
import { attemptManualBooking, queueStuckRequests, recoverFailedBookings, recoverOpenManualBookings } from "./recovery";
import { claimSlot } from "./slot-claims";
import { createBookingCompany, futureWeekday, startLossyProxy } from "./test-helpers";

// Outages, fallback mode and the manual queue against the sandbox over HTTP: nothing is lost, recovery books what is free.
let db: Db;
let fx: SandboxFixture;
const actor = { kind: "system", label: "manual-it", role: "admin" } as const;
const attendee = (name: string) => ({
  name,
  email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.com`,
  timeZone: "Europe/Berlin",
});

async function company() {
  return createBookingCompany(db, fx, await addSandboxKey(db, fx));
}

/** Someone books directly in Cal.com (its own booking page), bypassing this app. */
async function bookDirectly(eventTypeId: number, start: Date, name: string) {
  const res = await fx.call("/v2/bookings", {
    version: "2024-08-13",
    body: { eventTypeId, start: start.toISOString(), attendee: attendee(name) },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { data: { uid: string; id: number } }).data;
}

async function elapseOpenPeriod(companyId: number) {
  await db
    .update(circuitBreakers)
    .set({ openUntil: new Date(Date.now() - 1000) })
    .where(eq(circuitBreakers.companyId, companyId));
}

withSandboxFixture((d, f) => {
  db = d;
  fx = f;
});

describe("outage -> manual queue -> recovery", () => {
  it("queues every request while Cal.com fails, then books the free ones and flags the conflict once the circuit closes", async () => {
    const { company: c, byName } = await company();
    const herren = byName("Herrenhaarschnitt");
    await setSandboxFaults(db, { families: { all: { forceStatus: 503 } } });
    const starts = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00"].map((t) => futureWeekday(14, t));
    const results = [];
    for (const [i, start] of starts.entries()) {
      results.push(
        await bookAppointment(db, {
          companyId: c.id,
          service: "herrenhaarschnitt",
          start: start.toISOString(),
          attendee: attendee(`Outage Caller ${i}`),
          idempotencyKey: `outage-call-${c.id}-${i}`,
        }),
      );
    }
    expect(results.map((r) => r.outcome)).toEqual(Array(7).fill("manual"));
    expect(new Set(results.map((r) => r.appointment.status))).toEqual(new Set(["requires_manual_booking"]));
    const reasons = results.map((r) => r.manualBooking!.reasonCode);
    expect(reasons[0]).toBe("calcom_failing");
    expect(reasons.at(-1)).toBe("circuit_open");
    expect((await breakerRow(db, c.id))?.state).toBe("open");
    // A replay during the outage returns the queued request, not a second one.
    const replay = await bookAppointment(db, {
      companyId: c.id,
      service: herren.id,
      start: starts[0]!.toISOString(),
      attendee: attendee("Outage Caller 0"),
      idempotencyKey: `outage-call-${c.id}-0`,
    });
    expect(replay).toMatchObject({ isReplay: true, appointmentId: results[0]!.appointmentId });
    // Staff were told about each request.
    const notes = await db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.companyId, c.id), eq(outboxMessages.topic, "booking.manual_required")));
    expect(notes).toHaveLength(7);

    // Cal.com recovers; meanwhile someone took 10:00 on Cal.com's own booking page.
    await resetSandbox(db);
    // Round robin over three hairdressers: the slot is gone once all three are booked.
    for (const name of ["Walk In 1", "Walk In 2", "Walk In 3"])
      await bookDirectly(herren.calcomEventTypeId!, starts[2]!, name);
    // Still inside the open period: the job leaves the queue alone.
    expect(await recoverOpenManualBookings(db, { companyId: c.id })).toEqual({});
    await elapseOpenPeriod(c.id);
    const report = (await recoverOpenManualBookings(db, { companyId: c.id }))[c.id]!;
    expect(report).toMatchObject({ booked: 6, conflicts: 1, stillOpen: 0 });
    expect((await breakerRow(db, c.id))?.state).toBe("closed");

    const rows = await db
      .select()
      .from(appointments)
      .where(
        inArray(
          appointments.id,
          results.map((r) => r.appointmentId),
        ),
      );
    const byStart = new Map(rows.map((r) => [r.startsAt.toISOString(), r]));
    expect(byStart.get(starts[2]!.toISOString())?.status).toBe("requires_manual_booking");
    for (const s of starts.filter((_, i) => i !== 2)) {
      expect(byStart.get(s.toISOString())).toMatchObject({ status: "confirmed", syncStatus: "synced" });
      expect(byStart.get(s.toISOString())?.calcomBookingUid).toBeTruthy();
    }
    const queue = await listManualBookings(db, { companyId: c.id });
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]).toMatchObject({ state: "conflict", serviceName: "Herrenhaarschnitt" });
    expect(queue.items[0]!.conflictReason).toContain("no longer free");
    const conflicts = await db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.companyId, c.id), eq(outboxMessages.topic, "booking.manual_conflict")));
    expect(conflicts).toHaveLength(1);
  });

  it("fallback mode queues without calling Cal.com; recovery waits until it is switched off", async () => {
    const { company: c } = await company();
    await setFallbackMode(db, { companyId: c.id, isEnabled: true, reason: "Cal.com migration tonight", actor });
    const before = await upstreamCount(db);
    const r = await bookAppointment(db, {
      companyId: c.id,
      service: "Bartpflege",
      start: futureWeekday(17, "10:15").toISOString(),
      attendee: {
        name: "Phone Caller",
        email: "phone.caller@example.com",
        phone: "+491701234567",
        timeZone: "Europe/Berlin",
      },
      notes: "Bitte mit Rasiermesser",
    });
    expect(r.outcome).toBe("manual");
    expect(r.manualBooking).toMatchObject({ reasonCode: "fallback_mode", state: "open" });
    expect(r.manualBooking!.reason).toContain("Cal.com migration tonight");
    expect(await upstreamCount(db)).toBe(before);
    expect(await recoverOpenManualBookings(db, { companyId: c.id })).toEqual({});
    await setFallbackMode(db, { companyId: c.id, isEnabled: false, reason: "migration done", actor });
    const report = (await recoverOpenManualBookings(db, { companyId: c.id }))[c.id]!;
    expect(report.booked, JSON.stringify(report)).toBe(1);
    // The caller's notes were kept with the queued request and reached Cal.com with the late booking.
    const [appt] = await db.select().from(appointments).where(eq(appointments.id, r.appointmentId));
    const [booked] = await db.select().from(sandboxBookings).where(eq(sandboxBookings.uid, appt!.calcomBookingUid!));
    expect(booked?.bookingFieldsResponses).toMatchObject({ notes: "Bitte mit Rasiermesser" });
  });
});

describe("working the manual queue", () => {
  it("claims, marks booked by hand with a Cal.com uid, retries and cancels", async () => {
    const { company: c, byName } = await company();
    await setFallbackMode(db, { companyId: c.id, isEnabled: true, reason: "queue drill", actor });
    const mk = (t: string, name: string) =>
      bookAppointment(db, {
        companyId: c.id,
        service: "Nassrasur",
        start: futureWeekday(20, t).toISOString(),
        attendee: attendee(name),
      });
    const [a, b, d] = [await mk("09:00", "By Hand"), await mk("10:00", "Retry Me"), await mk("11:00", "Cancel Me")];
    await setFallbackMode(db, { companyId: c.id, isEnabled: false, reason: "drill over", actor });

    const claimed = await claimManualBooking(db, { id: a.manualBooking!.id, actor });
    expect(claimed).toMatchObject({ state: "claimed", claimedBy: "manual-it" });
    const other = { kind: "system", label: "someone-else", role: "operator" } as const;
    expect(
      ((await thrown(() => claimManualBooking(db, { id: a.manualBooking!.id, actor: other }))) as AppError).status,
    ).toBe(409);
    // A claimed request is left to its person by the recovery job.
    expect((await attemptManualBooking(db, { id: a.manualBooking!.id })).outcome).toBe("skipped");

    const made = await bookDirectly(byName("Nassrasur").calcomEventTypeId!, futureWeekday(20, "09:00"), "By Hand");
    expect(
      (
        (await thrown(() =>
          resolveManualBooking(db, { id: a.manualBooking!.id, calcomUid: String(made.id), actor }),
        )) as Error
      ).message,
    ).toContain("numeric booking id");
    // Cal.com announced the hand-made booking first (its webhook created an appointment for the uid): that copy is
    // folded into the queued request instead of blocking it.
    const [copy] = await db
      .insert(appointments)
      .values({
        companyId: c.id,
        startsAt: futureWeekday(20, "09:00"),
        endsAt: futureWeekday(20, "09:30"),
        timeZone: "Europe/Berlin",
        status: "confirmed",
        calcomBookingUid: made.uid,
        calcomBookingId: made.id,
      })
      .returning();
    const resolved = await resolveManualBooking(db, {
      id: a.manualBooking!.id,
      calcomUid: made.uid,
      note: "called back",
      actor,
    });
    expect(resolved).toMatchObject({
      isVerified: true,
      manualBooking: { state: "booked" },
      appointment: { status: "confirmed", calcomBookingUid: made.uid, calcomBookingId: made.id },
    });
    const [folded] = await db.select().from(appointments).where(eq(appointments.id, copy!.id));
    expect(folded).toMatchObject({ status: "cancelled", calcomBookingUid: null });
    expect(folded?.syncError).toContain(`Duplicate of appointment #${a.appointmentId}`);

    const retried = await attemptManualBooking(db, { id: b.manualBooking!.id, actor, includeClaimed: true });
    expect(retried.outcome, retried.message).toBe("booked");
    expect(retried.manualBooking.state).toBe("booked");

    const cancelled = await cancelManualBooking(db, { id: d.manualBooking!.id, reason: "caller withdrew", actor });
    expect(cancelled.state).toBe("cancelled");
    const [appt] = await db.select().from(appointments).where(eq(appointments.id, d.appointmentId));
    expect(appt?.status).toBe("cancelled");
    expect((await listManualBookings(db, { companyId: c.id })).items).toHaveLength(0);
    expect((await listManualBookings(db, { companyId: c.id, state: "booked" })).items.map((i) => i.id).sort()).toEqual(
      [a.manualBooking!.id, b.manualBooking!.id].sort(),
    );
  });

  it("recovers failed bookings for a time range", async () => {
    const { company: c } = await company();
    const from = new Date(Date.now() - 1000).toISOString();
    await setSandboxFaults(db, { families: { bookings: { forceStatus: 500 } } });
    const r = await bookAppointment(db, {
      companyId: c.id,
      service: "Kopfmassage",
      start: futureWeekday(23, "13:00").toISOString(),
      attendee: attendee("Range Caller"),
    });
    expect(r.outcome).toBe("manual");
    await resetSandbox(db);
    const report = await recoverFailedBookings(db, {
      companyId: c.id,
      from,
      to: new Date(Date.now() + 1000).toISOString(),
      actor,
    });
    expect(report).toMatchObject({ considered: 1, booked: 1 });
    const [row] = await db.select().from(manualBookings).where(eq(manualBookings.appointmentId, r.appointmentId));
    expect(row?.state).toBe("booked");
  });
});

/** Bookings Cal.com holds for one event type and start (every sandbox event type is round robin over three hosts). */
async function upstreamAt(eventTypeId: number, start: Date) {
  return db
    .select()
    .from(sandboxBookings)
    .where(
      and(
        eq(sandboxBookings.eventTypeId, eventTypeId),
        eq(sandboxBookings.start, start),
        inArray(sandboxBookings.status, ["accepted", "pending"]),
      ),
    );
}

describe("answers that never arrive", () => {
  it("Cal.com booked but the answer was lost (504 after the create): queued, and recovery adopts the booking instead of booking twice", async () => {
    const proxy = await startLossyProxy(fx.url);
    try {
      const { company: c, byName } = await createBookingCompany(db, fx, await addSandboxKey(db, fx), {
        url: proxy.url,
      });
      const herren = byName("Herrenhaarschnitt");
      const start = futureWeekday(25, "15:00");
      proxy.state.loseAnswers = true;
      const r = await bookAppointment(db, {
        companyId: c.id,
        service: herren.id,
        start: start.toISOString(),
        attendee: attendee("Lost Answer"),
        idempotencyKey: `lost-answer-${c.id}`,
      });
      expect(proxy.state.lost).toBe(1);
      expect(r.outcome).toBe("manual");
      expect(r.manualBooking).toMatchObject({ reasonCode: "calcom_failing", state: "open" });
      expect(await upstreamAt(herren.calcomEventTypeId!, start)).toHaveLength(1); // Cal.com did create it
      proxy.state.loseAnswers = false;

      await elapseOpenPeriod(c.id);
      const report = (await recoverOpenManualBookings(db, { companyId: c.id }))[c.id]!;
      expect(report, JSON.stringify(report)).toMatchObject({ booked: 1, conflicts: 0 });
      expect(report.items[0]!.message).toContain("Found in Cal.com");
      const upstream = await upstreamAt(herren.calcomEventTypeId!, start);
      expect(upstream).toHaveLength(1); // a second host was not booked
      const [row] = await db.select().from(appointments).where(eq(appointments.id, r.appointmentId));
      expect(row).toMatchObject({ status: "confirmed", calcomBookingUid: upstream[0]!.uid, syncStatus: "synced" });
    } finally {
      await proxy.close();
    }
  });

  it("a request whose instance died mid-call is swept into the queue; recovery adopts what Cal.com has and books the rest", async () => {
    const { company: c, byName } = await company();
    const et = byName("Damenhaarschnitt").calcomEventTypeId!;
    const long = new Date(Date.now() - 5 * 60_000);
    const stuck = async (time: string, name: string, createdAt: Date) => {
      const start = futureWeekday(26, time);
      const [appt] = await db
        .insert(appointments)
        .values({
          companyId: c.id,
          serviceId: byName("Damenhaarschnitt").id,
          startsAt: start,
          endsAt: new Date(start.getTime() + 45 * 60_000),
          timeZone: "Europe/Berlin",
          status: "pending",
          attendeeName: name,
          attendeeEmail: "stuck@example.com",
          calcomEventTypeId: et,
          syncStatus: "pending",
          idempotencyKey: `stuck-${c.id}-${time}`,
          createdAt,
        })
        .returning();
      await claimSlot(db, { companyId: c.id, eventTypeId: et, startsAt: start, appointmentId: appt!.id });
      return appt!;
    };
    const reached = await stuck("09:00", "Reached Cal.com", long);
    const res = await fx.call("/v2/bookings", {
      version: "2024-08-13",
      body: {
        eventTypeId: et,
        start: reached.startsAt.toISOString(),
        attendee: attendee("Reached Cal.com"),
        metadata: { idempotencyKey: reached.idempotencyKey },
      },
    });
    expect(res.status).toBe(201);
    const made = ((await res.json()) as { data: { uid: string } }).data;
    const never = await stuck("09:45", "Never Sent", long);
    const inFlight = await stuck("10:30", "Still In Flight", new Date());

    const report = (await recoverOpenManualBookings(db, { companyId: c.id }))[c.id]!;
    expect(report, JSON.stringify(report)).toMatchObject({ booked: 2, conflicts: 0 });
    const rows = new Map(
      (
        await db
          .select()
          .from(appointments)
          .where(inArray(appointments.id, [reached.id, never.id, inFlight.id]))
      ).map((r) => [r.id, r]),
    );
    expect(rows.get(reached.id)).toMatchObject({ status: "confirmed", calcomBookingUid: made.uid });
    expect(await upstreamAt(et, reached.startsAt)).toHaveLength(1);
    expect(rows.get(never.id)).toMatchObject({ status: "confirmed", syncStatus: "synced" });
    expect(rows.get(inFlight.id)).toMatchObject({ status: "pending", calcomBookingUid: null });
    expect(await queueStuckRequests(db, { companyId: c.id })).toEqual([]); // nothing left to sweep
  });

  it("the recovery job and a person's 'Retry now' at the same moment book once", async () => {
    const { company: c, byName } = await company();
    const herren = byName("Herrenhaarschnitt");
    const start = futureWeekday(27, "14:00");
    await setFallbackMode(db, { companyId: c.id, isEnabled: true, reason: "race drill", actor });
    const r = await bookAppointment(db, {
      companyId: c.id,
      service: herren.id,
      start: start.toISOString(),
      attendee: attendee("Race Caller"),
    });
    await setFallbackMode(db, { companyId: c.id, isEnabled: false, reason: "race drill over", actor });
    const id = r.manualBooking!.id;

    // A failed attempt ends its lease: the next one may start at once.
    await setSandboxFaults(db, { families: { bookings: { forceStatus: 503 } } });
    expect((await attemptManualBooking(db, { id })).outcome).toBe("still_open");
    await resetSandbox(db);
    await db
      .update(circuitBreakers)
      .set({ state: "closed", openUntil: null })
      .where(eq(circuitBreakers.companyId, c.id));

    const outcomes = await Promise.all([
      attemptManualBooking(db, { id }),
      attemptManualBooking(db, { id, actor, includeClaimed: true }),
    ]);
    expect(outcomes.map((o) => o.outcome).sort(), JSON.stringify(outcomes)).toEqual(["booked", "skipped"]);
    expect(await upstreamAt(herren.calcomEventTypeId!, start)).toHaveLength(1);
    const [row] = await db.select().from(manualBookings).where(eq(manualBookings.id, id));
    expect(row).toMatchObject({ state: "booked", attempts: 2 });
  });
});

describe("outbox", () => {
  it("delivers to a webhook, and backs off when it fails", async () => {
    const ok = await startHookReceiver();
    const failing = await startHookReceiver({ status: 500 });
    try {
      const { ids } = await enqueueNotification(db, {
        topic: "test.outbox",
        subject: "Hello",
        text: "Body",
        dedupeKey: "outbox-it-1",
        recipients: [
          { channel: "webhook", to: ok.url },
          { channel: "webhook", to: failing.url },
          { channel: "email", to: "staff@localhost" },
        ],
      });
      expect(ids).toHaveLength(3);
      expect(
        (
          await enqueueNotification(db, {
            topic: "test.outbox",
            subject: "Hello",
            text: "Body",
            dedupeKey: "outbox-it-1",
            recipients: [{ channel: "webhook", to: ok.url }],
          })
        ).ids,
      ).toHaveLength(0);
      const result = await deliverOutbox(db, { ids });
      expect(result).toMatchObject({ sent: 2, failed: 1 });
      const hook = await ok.waitFor((h) => h.json.topic === "test.outbox");
      expect(hook.json).toMatchObject({ subject: "Hello", text: "Body" });
      const [failed] = await db.select().from(outboxMessages).where(eq(outboxMessages.recipient, failing.url));
      expect(failed).toMatchObject({ state: "pending", attempts: 1 });
      expect(failed?.lastError).toContain("500");
      expect(failed!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    } finally {
      await ok.close();
      await failing.close();
    }
  });
});
