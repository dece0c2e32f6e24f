import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { appointments } from "@/drizzle/schema/core";
import { webhookDeliveries, webhookUnmatchedBookings } from "@/drizzle/schema/webhooks";
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
