import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { appointments } from "@/drizzle/schema/core";
import {
  webhookAppointmentChanges,
  webhookDeliveries,
  webhookRescheduleLinks,
  webhookUnmatchedBookings,
} from "@/drizzle/schema/webhooks";
import { processDelivery } from "./process";
import { bookingBody, deliveryRow, meetingBody, newUid, post } from "./test-helpers";
import { withWebhookCompany } from "./test-setup";

// Processing semantics: exactly once, out of order, per trigger. Deliveries go in through the real route handler;
// processing is called directly here (the queue path is covered in queue.int.test.ts).
const ctx = withWebhookCompany();

async function deliver(body: Record<string, unknown>) {
  const res = await post(body, { slug: ctx.co.slug, secret: ctx.co.secret });
  expect(res.status).toBe(200);
  const result = await processDelivery(ctx.db, { deliveryId: res.json.id });
  return { id: res.json.id, ...result };
}

const appointmentByUid = async (uid: string) =>
  (await ctx.db.select().from(appointments).where(eq(appointments.calcomBookingUid, uid)))[0];
const payloadOf = (body: Record<string, unknown>) => body.payload as { uid: string };
/** A booking trigger for the company's own event type, the one its service maps to. */
const ownBooking = (trigger: string, o: Parameters<typeof bookingBody>[1] = {}) =>
  bookingBody(trigger, { eventTypeId: ctx.co.eventTypeId, ...o });

describe("exactly once", () => {
  it("applies a repeated delivery once and counts the repeat as a duplicate", async () => {
    const body = ownBooking("BOOKING_CREATED");
    const first = await deliver(body);
    const second = await deliver(body);
    expect(first.status).toBe("processed");
    expect(second.status).toBe("duplicate");
    expect(await deliveryRow(ctx.db, second.id)).toMatchObject({ status: "duplicate", duplicateOfId: first.id });
    expect((await deliveryRow(ctx.db, first.id)).duplicateCount).toBe(1);
    const appt = await appointmentByUid(payloadOf(body).uid);
    expect(appt).toMatchObject({
      status: "confirmed",
      serviceId: ctx.co.serviceId,
      companyId: ctx.co.companyId,
      attendeeEmail: "kunde@example.com",
    });
  });

  it("gives one effect for the same delivery posted 20 times concurrently and processed concurrently", async () => {
    const body = ownBooking("BOOKING_CREATED");
    const uid = payloadOf(body).uid;
    const posted = await Promise.all(
      Array.from({ length: 20 }, () => post(body, { slug: ctx.co.slug, secret: ctx.co.secret })),
    );
    expect(posted.map((p) => p.status)).toEqual(Array(20).fill(200));
    const ids = posted.map((p) => p.json.id);
    expect(new Set(ids).size).toBe(20);
    const results = await Promise.all(ids.map((deliveryId) => processDelivery(ctx.db, { deliveryId })));
    expect(results.filter((r) => r.status === "processed")).toHaveLength(1);
    expect(results.filter((r) => r.status === "duplicate")).toHaveLength(19);
    expect(await ctx.db.select().from(appointments).where(eq(appointments.calcomBookingUid, uid))).toHaveLength(1);
    const changes = await ctx.db
      .select()
      .from(webhookAppointmentChanges)
      .where(eq(webhookAppointmentChanges.bookingUid, uid));
    expect(changes).toHaveLength(1);
    const rows = await ctx.db.select().from(webhookDeliveries).where(inArray(webhookDeliveries.id, ids));
    expect(rows.reduce((sum, r) => sum + r.duplicateCount, 0)).toBe(19);
  });

  it("skips a delivery that is already processed when its job runs again", async () => {
    const first = await deliver(ownBooking("BOOKING_CREATED"));
    const again = await processDelivery(ctx.db, { deliveryId: first.id });
    expect(again.status).toBe("skipped");
    expect((await deliveryRow(ctx.db, first.id)).attempts).toBe(1);
  });
});

describe("per trigger", () => {
  it("REQUESTED creates a pending appointment; CREATED (the host confirmed) confirms it; REJECTED of another is kept with its reason", async () => {
    const uid = newUid();
    expect((await deliver(ownBooking("BOOKING_REQUESTED", { uid }))).status).toBe("processed");
    expect((await appointmentByUid(uid))?.status).toBe("pending");
    await deliver(ownBooking("BOOKING_CREATED", { uid }));
    expect((await appointmentByUid(uid))?.status).toBe("confirmed");

    const other = newUid();
    await deliver(ownBooking("BOOKING_REQUESTED", { uid: other }));
    const rejected = await deliver(
      ownBooking("BOOKING_REJECTED", {
        uid: other,
        extra: { rejectionReason: "fully booked" },
      }),
    );
    expect(rejected.outcome).toContain("fully booked");
    expect((await appointmentByUid(other))?.status).toBe("rejected");
  });

  it("CANCELLED records the reason with the before/after history", async () => {
    const uid = newUid();
    await deliver(ownBooking("BOOKING_CREATED", { uid }));
    const cancelled = await deliver(
      ownBooking("BOOKING_CANCELLED", {
        uid,
        extra: { cancellationReason: "sick", cancelledBy: "kunde@example.com" },
      }),
    );
    expect(cancelled.outcome).toContain("reason: sick");
    const [change] = await ctx.db
      .select()
      .from(webhookAppointmentChanges)
      .where(eq(webhookAppointmentChanges.deliveryId, cancelled.id));
    expect(change).toMatchObject({ before: { status: "confirmed" }, after: { status: "cancelled" } });
  });

  it("a booking whose event type maps to no service is parked as unmatched, visible in the log", async () => {
    const uid = newUid();
    const res = await deliver(bookingBody("BOOKING_CREATED", { uid, eventTypeId: 4242 }));
    expect(res.status).toBe("processed");
    expect(res.outcome).toContain("Unmatched: event type 4242 maps to no service");
    expect(await appointmentByUid(uid)).toBeUndefined();
    const [parked] = await ctx.db
      .select()
      .from(webhookUnmatchedBookings)
      .where(eq(webhookUnmatchedBookings.bookingUid, uid));
    expect(parked).toMatchObject({ companyId: ctx.co.companyId, eventTypeId: 4242, status: "confirmed" });
  });

  it("MEETING_STARTED / MEETING_ENDED (flat shape) record attendance times and history, never no_show or completed (§8.5)", async () => {
    const uid = newUid();
    await deliver(ownBooking("BOOKING_CREATED", { uid }));
    expect((await deliver(meetingBody("MEETING_STARTED", { uid }))).outcome).toContain("Meeting started");
    const ended = await deliver(meetingBody("MEETING_ENDED", { uid }));
    expect(ended.outcome).toBe(
      `Meeting ended for appointment #${(await appointmentByUid(uid))!.id}; status stays confirmed (noShow in MEETING_* is frozen at booking time)`,
    );
    expect((await appointmentByUid(uid))?.status).toBe("confirmed");

    // Even a noShow:true in the body is the booking-time value: it is recorded, not applied.
    const absent = newUid();
    await deliver(ownBooking("BOOKING_CREATED", { uid: absent }));
    await deliver(meetingBody("MEETING_ENDED", { uid: absent, noShow: true }));
    const appt = await appointmentByUid(absent);
    expect(appt?.status).toBe("confirmed");
    const history = await ctx.db
      .select()
      .from(webhookAppointmentChanges)
      .where(eq(webhookAppointmentChanges.appointmentId, appt!.id))
      .orderBy(webhookAppointmentChanges.id);
    expect(history.at(-1)?.change).toMatch(
      /^meeting ended; status stays confirmed: MEETING_\* carry the booking-time noShow \(.+\), not attendance$/,
    );
  });

  it("PING is a recorded successful test; an unknown trigger is stored and ignored with a reason", async () => {
    const ping = await deliver({
      triggerEvent: "PING",
      createdAt: new Date().toISOString(),
      payload: { type: "Test", title: "Test trigger event" },
    });
    expect(ping).toMatchObject({ status: "processed", outcome: expect.stringContaining("Ping test") });
    const other = await deliver({
      triggerEvent: "RECORDING_READY",
      createdAt: new Date().toISOString(),
      payload: { downloadLink: "https://x" },
    });
    expect(other).toMatchObject({
      status: "ignored",
      outcome: expect.stringContaining("RECORDING_READY is stored but not applied"),
    });
  });

  it("an unknown booking status fails without retry and says why", async () => {
    const res = await deliver(ownBooking("BOOKING_CREATED", { status: "WEIRD" }));
    expect(res).toMatchObject({ status: "failed", shouldRetry: false });
    expect(await deliveryRow(ctx.db, res.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: expect.stringContaining('Unknown Cal.com booking status "WEIRD"'),
    });
  });
});

describe("out of order", () => {
  it("a CANCELLED before its CREATED does not resurrect the booking", async () => {
    const uid = newUid();
    const created = ownBooking("BOOKING_CREATED", { uid });
    await deliver(ownBooking("BOOKING_CANCELLED", { uid }));
    expect((await appointmentByUid(uid))?.status).toBe("cancelled");
    const late = await deliver(created);
    expect(late.status).toBe("ignored");
    expect(late.outcome).toContain("out of order");
    expect((await appointmentByUid(uid))?.status).toBe("cancelled");
  });

  it("RESCHEDULED moves the appointment to the new uid and times and keeps the chain", async () => {
    const a = newUid();
    const b = newUid();
    await deliver(ownBooking("BOOKING_CREATED", { uid: a, start: "2050-04-01T09:00:00Z" }));
    const original = await appointmentByUid(a);
    const moved = await deliver(
      ownBooking("BOOKING_RESCHEDULED", {
        uid: b,
        start: "2050-04-02T10:00:00Z",
        extra: { rescheduleUid: a, rescheduleStartTime: "2050-04-01T09:00:00Z" },
      }),
    );
    expect(moved.status).toBe("processed");
    const appt = await appointmentByUid(b);
    expect(appt?.id).toBe(original?.id);
    expect(appt?.startsAt.toISOString()).toBe("2050-04-02T10:00:00.000Z");
    expect(await appointmentByUid(a)).toBeUndefined();
    const [link] = await ctx.db.select().from(webhookRescheduleLinks).where(eq(webhookRescheduleLinks.fromUid, a));
    expect(link?.toUid).toBe(b);
    // A late CREATED of the old uid must not bring it back.
    const late = await deliver(ownBooking("BOOKING_CREATED", { uid: a }));
    expect(late).toMatchObject({ status: "ignored", outcome: expect.stringContaining(`already rescheduled to ${b}`) });
  });

  it("a chain A->B->C arriving as B->C, CREATED A, A->B ends with one live appointment at C", async () => {
    const [a, b, c] = [newUid(), newUid(), newUid()];
    await deliver(
      ownBooking("BOOKING_RESCHEDULED", {
        uid: c,
        start: "2050-05-03T09:00:00Z",
        extra: { rescheduleUid: b },
      }),
    );
    await deliver(ownBooking("BOOKING_CREATED", { uid: a, start: "2050-05-01T09:00:00Z" }));
    const ab = await deliver(
      ownBooking("BOOKING_RESCHEDULED", {
        uid: b,
        start: "2050-05-02T09:00:00Z",
        extra: { rescheduleUid: a },
      }),
    );
    expect(ab.outcome).toContain(`rescheduled again to ${c}`);
    expect((await appointmentByUid(c))?.status).toBe("confirmed");
    expect((await appointmentByUid(a))?.status).toBe("cancelled");
    expect(await appointmentByUid(b)).toBeUndefined();
  });

  it("a reschedule arriving as BOOKING_REQUESTED (needs confirmation) moves the appointment as pending; CREATED confirms it", async () => {
    const a = newUid();
    const b = newUid();
    await deliver(ownBooking("BOOKING_CREATED", { uid: a }));
    const requested = await deliver(
      ownBooking("BOOKING_REQUESTED", {
        uid: b,
        start: "2050-06-01T12:00:00Z",
        extra: { rescheduleUid: a },
      }),
    );
    expect(requested.status).toBe("processed");
    expect(await appointmentByUid(b)).toMatchObject({ status: "pending" });
    expect(await appointmentByUid(a)).toBeUndefined();
    await deliver(ownBooking("BOOKING_CREATED", { uid: b, start: "2050-06-01T12:00:00Z" }));
    expect((await appointmentByUid(b))?.status).toBe("confirmed");
  });
});
