import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { appointments } from "@/drizzle/schema/core";
import {
  webhookAppointmentChanges,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookUnmatchedBookings,
} from "@/drizzle/schema/webhooks";
import { processDelivery } from "./process";
import { bookingBody, deliveryRow, newUid, post } from "./test-helpers";
import { withWebhookCompany } from "./test-setup";
import { drainWebhookQueue } from "./worker";

// A batch does its lookups up front (batch.ts: locks, dedupe keys, which uids are new); deliveries of one booking in
// the same batch must still see each other's effects, as they would one by one.
const ctx = withWebhookCompany();

async function receive(body: Record<string, unknown>): Promise<number> {
  const res = await post(body, { slug: ctx.co.slug, secret: ctx.co.secret });
  expect(res.status).toBe(200);
  return res.json.id;
}
const own = (trigger: string, uid: string) => bookingBody(trigger, { uid, eventTypeId: ctx.co.eventTypeId });

describe("one batch, several deliveries of one booking", () => {
  it("creates then cancels, parks then cancels the parked one, cancels an older one, and counts a repeat", async () => {
    const [created, parked, older, repeated] = [newUid(), newUid(), newUid(), newUid()];
    await receive(own("BOOKING_CREATED", older));
    await drainWebhookQueue(ctx.db);

    const repeat = own("BOOKING_CREATED", repeated);
    const ids = [
      await receive(own("BOOKING_CREATED", created)),
      await receive(own("BOOKING_CANCELLED", created)),
      await receive(bookingBody("BOOKING_CREATED", { uid: parked, eventTypeId: 1 })),
      await receive(bookingBody("BOOKING_CANCELLED", { uid: parked, eventTypeId: 1 })),
      await receive(own("BOOKING_CANCELLED", older)),
      await receive(repeat),
      await receive(repeat),
    ];
    await drainWebhookQueue(ctx.db, { batchSize: 50 });

    const rows = await ctx.db
      .select({ id: webhookDeliveries.id, status: webhookDeliveries.status })
      .from(webhookDeliveries)
      .where(inArray(webhookDeliveries.id, ids));
    expect(rows.sort((a, b) => a.id - b.id).map((r) => r.status)).toEqual([
      "processed",
      "processed",
      "processed",
      "processed",
      "processed",
      "processed",
      "duplicate",
    ]);
    const byUid = async (uid: string) =>
      ctx.db.select().from(appointments).where(eq(appointments.calcomBookingUid, uid));
    expect(await byUid(created)).toEqual([expect.objectContaining({ status: "cancelled" })]);
    expect(await byUid(older)).toEqual([expect.objectContaining({ status: "cancelled" })]);
    expect(await byUid(repeated)).toEqual([expect.objectContaining({ status: "confirmed" })]);
    expect(await byUid(parked)).toEqual([]);
    expect(
      await ctx.db.select().from(webhookUnmatchedBookings).where(eq(webhookUnmatchedBookings.bookingUid, parked)),
    ).toEqual([expect.objectContaining({ status: "cancelled" })]);
    expect((await deliveryRow(ctx.db, ids[6]!)).duplicateOfId).toBe(ids[5]);
  });
});

describe("a batch's new appointments, inserted together", () => {
  const changeOf = async (deliveryId: number) =>
    ctx.db.select().from(webhookAppointmentChanges).where(eq(webhookAppointmentChanges.deliveryId, deliveryId));
  const byUid = async (uid: string) =>
    (await ctx.db.select().from(appointments).where(eq(appointments.calcomBookingUid, uid)))[0];

  it("give each delivery the result, history row and attempt a delivery processed alone gets", async () => {
    const lone = newUid();
    const loneId = await receive(own("BOOKING_CREATED", lone));
    await processDelivery(ctx.db, { deliveryId: loneId });
    const [loneChange] = await changeOf(loneId);

    const uids = [newUid(), newUid(), newUid()];
    const ids: number[] = [];
    for (const [i, uid] of uids.entries())
      ids.push(
        await receive(
          bookingBody("BOOKING_CREATED", {
            uid,
            eventTypeId: ctx.co.eventTypeId,
            bookingId: 7100 + i,
            start: `2050-06-0${i + 1}T09:00:00Z`,
          }),
        ),
      );
    expect(await drainWebhookQueue(ctx.db, { batchSize: 50 })).toBe(3);

    for (const [i, uid] of uids.entries()) {
      const appt = await byUid(uid);
      expect(appt).toMatchObject({
        companyId: ctx.co.companyId,
        serviceId: ctx.co.serviceId,
        status: "confirmed",
        calcomBookingId: 7100 + i,
        calcomEventTypeId: ctx.co.eventTypeId,
        syncStatus: "synced",
        startsAt: new Date(`2050-06-0${i + 1}T09:00:00Z`),
      });
      expect(await deliveryRow(ctx.db, ids[i]!)).toMatchObject({
        status: "processed",
        appointmentId: appt!.id,
        outcome: `Created appointment #${appt!.id} (confirmed) for booking ${uid}`,
      });
      const changes = await changeOf(ids[i]!);
      expect(changes).toEqual([
        {
          ...loneChange,
          id: expect.any(Number),
          deliveryId: ids[i],
          appointmentId: appt!.id,
          bookingUid: uid,
          at: expect.any(Date),
          after: {
            ...loneChange!.after,
            id: appt!.id,
            calcomBookingUid: uid,
            calcomBookingId: 7100 + i,
            startsAt: `2050-06-0${i + 1}T09:00:00.000Z`,
            endsAt: `2050-06-0${i + 1}T09:30:00.000Z`,
          },
        },
      ]);
      const attempts = await ctx.db
        .select()
        .from(webhookDeliveryAttempts)
        .where(eq(webhookDeliveryAttempts.deliveryId, ids[i]!));
      expect(attempts).toEqual([
        expect.objectContaining({
          attempt: 1,
          status: "processed",
          outcome: `Created appointment #${appt!.id} (confirmed) for booking ${uid}`,
        }),
      ]);
    }
  });

  it("are in place before a later delivery of the batch reads them (a reschedule of one)", async () => {
    // Applied in uid order: the CREATED of a- first, then the RESCHEDULED of b- that moves it.
    const a = `a-${newUid()}`;
    const b = `b-${newUid()}`;
    const other = `a-${newUid()}`;
    await receive(own("BOOKING_CREATED", a));
    await receive(own("BOOKING_CREATED", other));
    const moveId = await receive(
      bookingBody("BOOKING_RESCHEDULED", {
        uid: b,
        eventTypeId: ctx.co.eventTypeId,
        start: "2050-07-02T10:00:00Z",
        extra: { rescheduleUid: a },
      }),
    );
    expect(await drainWebhookQueue(ctx.db, { batchSize: 50 })).toBe(3);

    const moved = await byUid(b);
    expect(moved).toMatchObject({ status: "confirmed", startsAt: new Date("2050-07-02T10:00:00Z") });
    expect(await byUid(a)).toBeUndefined();
    expect(await deliveryRow(ctx.db, moveId)).toMatchObject({ status: "processed", appointmentId: moved!.id });
    expect(await byUid(other)).toMatchObject({ status: "confirmed" });
  });
});
