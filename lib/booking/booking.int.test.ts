import { and, eq } from "drizzle-orm";
import { listSlotQueries } from "@/lib/slots/recent-queries";
import { describe, expect, it } from "vitest";
import { sandboxBookings, sandboxEventTypes } from "@/drizzle/schema/sandbox";
import { appointments } from "@/drizzle/schema/core";
import { withSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { thrown } from "@/lib/calcom/client-test-helpers";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { addServiceAlias } from "./aliases";
import { getAvailability } from "./availability";
import { bookAppointment } from "./book";
import { cancelByUid, rescheduleByUid } from "./manage";
import { resolveService } from "./resolve-service";
import { createBookingCompany, deactivate, futureWeekday } from "./test-helpers";

// The booking flow against the sandbox over real HTTP: resolution, check + book, idempotency, validation, races.
let db: Db;
let fx: SandboxFixture;
const actor = { kind: "system", label: "booking-it", role: "admin" } as const;
const attendee = (name: string) => ({
  name,
  email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.com`,
  timeZone: "Europe/Berlin",
});

withSandboxFixture((d, f) => {
  db = d;
  fx = f;
});

/** `count` callers asking for the same slot at once, each under its own name. */
const bookAtOnce = (count: number, input: { companyId: number; service: string; start: Date }, caller: string) =>
  Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      bookAppointment(db, { ...input, start: input.start.toISOString(), attendee: attendee(`${caller} ${i}`) }),
    ),
  );
/** Cal.com's side: the sandbox's bookings of an event type at a start. */
const upstreamBookings = (eventTypeId: number, start: Date) =>
  db
    .select()
    .from(sandboxBookings)
    .where(and(eq(sandboxBookings.eventTypeId, eventTypeId), eq(sandboxBookings.start, start)));

describe("resolveService", () => {
  it("resolves every spelling variant and alias of a name to the same service and event type", async () => {
    const { company, byName } = await createBookingCompany(db, fx);
    const herren = byName("Herrenhaarschnitt");
    await addServiceAlias(db, { companyId: company.id, serviceId: herren.id, alias: "Männerhaarschnitt", actor });
    const variants = [
      "Herrenhaarschnitt",
      "herrenhaarschnitt",
      "HERREN HAARSCHNITT",
      "Herren-Haarschnitt",
      herren.id,
      String(herren.id),
      "Männerhaarschnitt",
      "maennerhaarschnitt",
      "Mannerhaarschnitt",
    ];
    for (const v of variants) {
      const r = await resolveService(db, { companyId: company.id, service: v });
      expect(r.service.id, String(v)).toBe(herren.id);
      expect(r.eventTypeId).toBe(herren.calcomEventTypeId);
    }
    const foehn = byName("Föhnen & Styling");
    for (const v of ["Föhnen & Styling", "foehnen und styling", "Fohnen & Styling", "FÖHNEN+STYLING"]) {
      expect((await resolveService(db, { companyId: company.id, service: v })).service.id, v).toBe(foehn.id);
    }
  });

  it("lists close matches for an unknown name and refuses inactive services unless asked", async () => {
    const { company, byName } = await createBookingCompany(db, fx);
    const error = await thrown(() => resolveService(db, { companyId: company.id, service: "Haarschnitt" }));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(404);
    const names = ((error as AppError).details?.candidates as { name: string }[]).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(["Herrenhaarschnitt", "Damenhaarschnitt", "Kinderhaarschnitt"]));
    expect((error as AppError).message).toContain("Did you mean");

    const bart = byName("Bartpflege");
    await deactivate(db, bart.id);
    const inactive = (await thrown(() =>
      resolveService(db, { companyId: company.id, service: "bartpflege" }),
    )) as AppError;
    expect(inactive.status).toBe(409);
    expect(inactive.details?.reason).toBe("inactive");
    expect(
      (await resolveService(db, { companyId: company.id, service: "bartpflege" }, { allowInactive: true })).service.id,
    ).toBe(bart.id);
  });

  it("check and book use the same event type for every variant", async () => {
    const { company, byName } = await createBookingCompany(db, fx);
    const herren = byName("Herrenhaarschnitt");
    const start = futureWeekday(9, "10:00");
    const date = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(start);
    const checks = await Promise.all(
      ["herren haarschnitt", "Herrenhaarschnitt", herren.id].map((service) =>
        getAvailability(db, { companyId: company.id, service, date }),
      ),
    );
    expect(new Set(checks.map((c) => c.service.eventTypeId))).toEqual(new Set([herren.calcomEventTypeId]));
    expect(checks[0]!.slots.map((s) => s.start)).toContain(start.toISOString());
    expect(checks[0]!.calcom?.request.url).toContain(`eventTypeId=${herren.calcomEventTypeId}`);
    // Each answer is kept for support as what the phone caller was offered.
    const offered = await listSlotQueries(db, { companyId: company.id, limit: 10 });
    expect(offered.items.map((q) => [q.source, q.eventTypeId, q.slotCount])).toEqual(
      Array(3).fill(["phone", herren.calcomEventTypeId, checks[0]!.slots.length]),
    );
    expect(offered.items[0]!.request).toMatchObject({
      method: "GET",
      path: expect.stringContaining("/v2/slots"),
      version: "2024-09-04",
    });
    const booked = await bookAppointment(db, {
      companyId: company.id,
      service: "HERREN-haarschnitt",
      start: start.toISOString(),
      attendee: attendee("Hans Schuster"),
    });
    expect(booked.service.eventTypeId).toBe(herren.calcomEventTypeId);
    expect(booked.booking?.eventType?.id ?? booked.booking?.eventTypeId).toBe(herren.calcomEventTypeId);
  });
});

describe("bookAppointment", () => {
  it("books, stores id and uid, and cancels by uid", async () => {
    const { company } = await createBookingCompany(db, fx);
    const start = futureWeekday(12, "11:00");
    const r = await bookAppointment(db, {
      companyId: company.id,
      service: "Herrenhaarschnitt",
      start: start.toISOString(),
      attendee: { ...attendee("Eva Test"), phone: "+49 30 1234-5678" },
      actor,
    });
    expect(r.outcome).toBe("booked");
    expect(r.uid).toMatch(/^[A-Za-z0-9]{10,}$/);
    expect(r.calcomBookingId).toBeGreaterThan(0);
    expect(r.booking?.metadata?.idempotencyKey).toBe(r.appointment.idempotencyKey);
    const [row] = await db.select().from(appointments).where(eq(appointments.id, r.appointmentId));
    expect(row).toMatchObject({
      status: "confirmed",
      calcomBookingUid: r.uid,
      calcomBookingId: r.calcomBookingId,
      syncStatus: "synced",
      attendeePhone: "+493012345678",
    });

    const numeric = (await thrown(() =>
      cancelByUid(db, { uid: String(r.calcomBookingId), reason: "test" }),
    )) as AppError;
    expect(numeric.status).toBe(400);
    expect(numeric.message).toContain("numeric booking id");

    const cancelled = await cancelByUid(db, { uid: r.uid!, reason: "test cleanup", actor });
    expect(cancelled.booking.status).toBe("cancelled");
    expect(cancelled.appointment?.status).toBe("cancelled");
    // The slot is free again: a new request for it books.
    const again = await bookAppointment(db, {
      companyId: company.id,
      service: "Herrenhaarschnitt",
      start: start.toISOString(),
      attendee: attendee("Next Caller"),
    });
    expect(again.outcome).toBe("booked");
  });

  it("returns the existing booking for a repeated idempotency key", async () => {
    const { company } = await createBookingCompany(db, fx);
    const start = futureWeekday(12, "13:30");
    const input = {
      companyId: company.id,
      service: "Damenhaarschnitt",
      start: start.toISOString(),
      attendee: attendee("Ida Empotent"),
      idempotencyKey: "call_fb447d0f0375c52daaa3ffe4c51",
    };
    const first = await bookAppointment(db, input);
    const second = await bookAppointment(db, input);
    const concurrent = await Promise.all([bookAppointment(db, input), bookAppointment(db, input)]);
    expect(first.outcome).toBe("booked");
    for (const r of [second, ...concurrent]) {
      expect(r.isReplay).toBe(true);
      expect(r.appointmentId).toBe(first.appointmentId);
      expect(r.uid).toBe(first.uid);
    }
    const upstream = await upstreamBookings(fx.et(3757757), start);
    expect(upstream).toHaveLength(1);
  });

  it("rejects invalid attendees with a clear 400 before calling Cal.com", async () => {
    const { company } = await createBookingCompany(db, fx);
    const start = futureWeekday(12, "15:00").toISOString();
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "A", email: "not-an-email", timeZone: "Europe/Berlin" }, "attendee.email is not a valid email address"],
      [{ name: "A", phone: "030 123456", timeZone: "Europe/Berlin" }, "country code"],
      [{ name: "A", timeZone: "Europe/Berlin" }, "email address or a phone number"],
      [{ name: "A", email: "a@example.com", timeZone: "Berlin" }, "IANA time zone"],
    ];
    for (const [a, message] of cases) {
      const error = (await thrown(() =>
        bookAppointment(db, { companyId: company.id, service: "Herrenhaarschnitt", start, attendee: a as never }),
      )) as AppError;
      expect(error.status, message).toBe(400);
      expect(error.message).toContain(message);
    }
    // The tenant's event types require an email (Cal.com would refuse a phone-only booking with a generic 400).
    const phoneOnly = (await thrown(() =>
      bookAppointment(db, {
        companyId: company.id,
        service: "Herrenhaarschnitt",
        start,
        attendee: { name: "P", phone: "+491701234567", timeZone: "Europe/Berlin" },
      }),
    )) as AppError;
    expect(phoneOnly.status).toBe(400);
    expect(phoneOnly.message).toContain("attendee.email");
    expect(await db.select().from(appointments).where(eq(appointments.companyId, company.id))).toHaveLength(0);
  });

  it("20 concurrent requests for one slot give exactly one booking", async () => {
    const { company, byName } = await createBookingCompany(db, fx);
    // Haarkur with a single hairdresser: the slot holds one booking.
    const haarkur = byName("Haarkur");
    await db
      .update(sandboxEventTypes)
      .set({ hostUserIds: [fx.tenant.staff[0]!.calcomUserId] })
      .where(eq(sandboxEventTypes.id, haarkur.calcomEventTypeId!));
    const start = futureWeekday(15, "09:40");
    const results = await bookAtOnce(20, { companyId: company.id, service: "haarkur", start }, "Racer");
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect((r.reason as AppError).status).toBe(409);
    const upstream = await upstreamBookings(haarkur.calcomEventTypeId!, start);
    expect(upstream.filter((b) => b.status !== "cancelled")).toHaveLength(1);
    const local = await db
      .select()
      .from(appointments)
      .where(and(eq(appointments.companyId, company.id), eq(appointments.status, "confirmed")));
    expect(local).toHaveLength(1);
  });

  it("a round-robin slot takes one booking per host, never more, under 20 concurrent requests", async () => {
    const { company, byName } = await createBookingCompany(db, fx);
    const start = futureWeekday(15, "11:30");
    const results = await bookAtOnce(20, { companyId: company.id, service: "Herrenhaarschnitt", start }, "RR Racer");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(fx.tenant.staff.length);
    const upstream = await upstreamBookings(byName("Herrenhaarschnitt").calcomEventTypeId!, start);
    expect(upstream.filter((b) => b.status !== "cancelled")).toHaveLength(fx.tenant.staff.length);
    expect(new Set(upstream.map((b) => b.userId)).size).toBe(fx.tenant.staff.length);
  });

  it("reschedules by uid, stores the new uid and keeps the chain", async () => {
    const { company } = await createBookingCompany(db, fx);
    const booked = await bookAppointment(db, {
      companyId: company.id,
      service: "Kinderhaarschnitt",
      start: futureWeekday(18, "10:00").toISOString(),
      attendee: attendee("Kim Move"),
    });
    const moved = await rescheduleByUid(db, {
      uid: booked.uid!,
      start: futureWeekday(18, "12:00").toISOString(),
      reason: "caller asked",
      actor,
    });
    expect(moved.newUid).not.toBe(booked.uid);
    expect(moved.appointment).toMatchObject({
      id: booked.appointmentId,
      calcomBookingUid: moved.newUid,
      startsAt: futureWeekday(18, "12:00").toISOString(),
    });
    expect(moved.uidChain).toEqual([booked.uid, moved.newUid]);
    expect(moved.booking.rescheduledFromUid).toBe(booked.uid);
    const cancelled = await cancelByUid(db, { uid: moved.newUid });
    expect(cancelled.uidChain).toEqual([booked.uid, moved.newUid]);
  });

  it("Cal.com's refusals of a cancel are clear 4xx: a second cancel is 400, an unknown uid 404 (not a 502)", async () => {
    const { company } = await createBookingCompany(db, fx);
    const booked = await bookAppointment(db, {
      companyId: company.id,
      service: "Bartpflege",
      start: futureWeekday(19, "10:00").toISOString(),
      attendee: attendee("Twice Cancelled"),
    });
    await cancelByUid(db, { uid: booked.uid! });
    const again = (await thrown(() => cancelByUid(db, { uid: booked.uid! }))) as AppError;
    expect(again).toBeInstanceOf(AppError);
    expect(again).toMatchObject({ status: 400, details: { reason: "calcom_refused" } });
    const unknown = (await thrown(() =>
      cancelByUid(db, { uid: "abcdefghijklmnopqrstuv", companyId: company.id }),
    )) as AppError;
    expect(unknown).toBeInstanceOf(AppError);
    expect(unknown.status).toBe(404);
  });
});

describe("idempotency under concurrency", () => {
  it("10 first-time requests with one key at once give one appointment and one Cal.com booking", async () => {
    const { company, byName } = await createBookingCompany(db, fx);
    const start = futureWeekday(21, "16:00");
    const input = {
      companyId: company.id,
      service: "Herrenhaarschnitt",
      start: start.toISOString(),
      attendee: attendee("Same Key"),
      idempotencyKey: `same-key-${company.id}`,
    };
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => bookAppointment(db, input)));
    const ok = results
      .filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof bookAppointment>>> => r.status === "fulfilled")
      .map((r) => r.value);
    expect(ok.length, JSON.stringify(results.filter((r) => r.status === "rejected"))).toBe(10);
    expect(new Set(ok.map((r) => r.appointmentId)).size).toBe(1);
    expect(ok.filter((r) => !r.isReplay)).toHaveLength(1);
    const upstream = await upstreamBookings(byName("Herrenhaarschnitt").calcomEventTypeId!, start);
    expect(upstream.filter((b) => b.status !== "cancelled")).toHaveLength(1);
  });
});
