import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTestDb } from "@/test/db";
import { getSandboxState } from "./control";
import { berlin, createSandboxFixture, startHookReceiver, type SandboxFixture } from "./test-fixtures";
import { allowSandboxWebhookOrigin } from "./webhook-target";
import { flushSandboxWebhooks, sendSandboxPing, setSandboxWebhook } from "./webhooks";

// Webhook deliveries: envelope, payload fields, signature over the exact body, headers and the delivery log.
const SECRET = "whsec_sandbox_test_secret";
let fx: SandboxFixture;
let receiver: Awaited<ReturnType<typeof startHookReceiver>>;

beforeAll(async () => {
  receiver = await startHookReceiver();
  fx = await createSandboxFixture(await getTestDb(), { webhook: { url: receiver.url, secret: SECRET } });
});
afterAll(async () => {
  await fx?.close();
  await receiver?.close();
});

type Envelope = { triggerEvent: string; createdAt: string; payload: Record<string, unknown> };
const V = "2024-08-13";

async function createBooking(start: string, name: string) {
  const res = await fx.call("/v2/bookings", {
    version: V,
    body: {
      start,
      eventTypeId: fx.et(3757770),
      attendee: { name, email: "kunde@example.com", timeZone: "Europe/Berlin" },
      metadata: { ref: "A-1" },
    },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { data: { uid: string; id: number } }).data;
}

describe("booking webhooks", () => {
  it("delivers BOOKING_CREATED signed over the exact body", async () => {
    const booking = await createBooking(berlin("2050-11-07", "09:00"), "Web Hook");
    const hook = await receiver.waitFor(
      (h) => h.json.triggerEvent === "BOOKING_CREATED" && (h.json.payload as { uid?: string }).uid === booking.uid,
    );
    expect(hook.headers["x-cal-signature-256"]).toBe(createHmac("sha256", SECRET).update(hook.raw).digest("hex"));
    expect(hook.headers["x-cal-webhook-version"]).toBe("2021-10-20");
    expect(hook.headers["content-type"]).toBe("application/json");
    const env = hook.json as Envelope;
    expect(Object.keys(env)).toEqual(["triggerEvent", "createdAt", "payload"]);
    expect(env.payload).toMatchObject({
      uid: booking.uid,
      bookingId: booking.id,
      eventTypeId: fx.et(3757770),
      type: "herrenhaarschnitt",
      title: `Herrenhaarschnitt between ${fx.tenant.staff[0]?.name} and Web Hook`,
      eventTitle: "Herrenhaarschnitt",
      length: 30,
      startTime: new Date(berlin("2050-11-07", "09:00")).toISOString(),
      status: "ACCEPTED",
      metadata: { ref: "A-1" },
      organizer: {
        id: fx.tenant.staff[0]?.calcomUserId,
        email: fx.tenant.staff[0]?.email,
        timeZone: "Europe/Berlin",
        utcOffset: 60,
      },
      attendees: [{ name: "Web Hook", email: "kunde@example.com", timeZone: "Europe/Berlin", utcOffset: 60 }],
      responses: {
        name: { label: "your_name", value: "Web Hook" },
        email: { label: "email_address", value: "kunde@example.com" },
      },
      team: { id: fx.teamId, name: "Friseur" },
    });
  });

  it("delivers BOOKING_CANCELLED and BOOKING_RESCHEDULED with their extras", async () => {
    const a = await createBooking(berlin("2050-11-08", "09:00"), "Zweimal");
    const moved = await fx.call(`/v2/bookings/${a.uid}/reschedule`, {
      version: V,
      body: { start: berlin("2050-11-08", "10:00"), rescheduledBy: "kunde@example.com" },
    });
    const b = ((await moved.json()) as { data: { uid: string; id: number } }).data;
    const rescheduled = (
      await receiver.waitFor(
        (h) => h.json.triggerEvent === "BOOKING_RESCHEDULED" && (h.json.payload as { uid?: string }).uid === b.uid,
      )
    ).json as Envelope;
    expect(rescheduled.payload).toMatchObject({
      uid: b.uid,
      bookingId: b.id,
      rescheduleUid: a.uid,
      rescheduleId: a.id,
      rescheduleStartTime: new Date(berlin("2050-11-08", "09:00")).toISOString(),
      rescheduleEndTime: new Date(berlin("2050-11-08", "09:30")).toISOString(),
      rescheduledBy: "kunde@example.com",
      status: "ACCEPTED",
    });
    await fx.call(`/v2/bookings/${b.uid}/cancel`, { version: V, body: { cancellationReason: "verhindert" } });
    const cancelled = (
      await receiver.waitFor(
        (h) => h.json.triggerEvent === "BOOKING_CANCELLED" && (h.json.payload as { uid?: string }).uid === b.uid,
      )
    ).json as Envelope;
    expect(cancelled.payload).toMatchObject({
      status: "CANCELLED",
      cancellationReason: "verhindert",
      cancelledBy: "admin@" + fx.tenant.teamSlug + ".example",
    });
  });

  it("logs every delivery and sends MEETING_* flat", async () => {
    const booking = await createBooking(berlin("2050-11-09", "09:00"), "Meeting");
    const res = await fx.control("/webhooks/meeting", {
      body: { bookingUid: booking.uid, trigger: "MEETING_STARTED" },
    });
    expect(res.status).toBe(200);
    const flat = await receiver.waitFor((h) => h.json.triggerEvent === "MEETING_STARTED" && h.json.uid === booking.uid);
    expect(flat.json).not.toHaveProperty("payload");
    expect(flat.json).toMatchObject({
      id: booking.id,
      uid: booking.uid,
      eventTypeId: fx.et(3757770),
      status: "ACCEPTED",
    });
    await flushSandboxWebhooks();
    const state = await getSandboxState(fx.db);
    const logged = state.recentDeliveries.filter((d) => d.bookingUid === booking.uid);
    expect(logged.map((d) => d.triggerEvent).sort()).toEqual(["BOOKING_CREATED", "MEETING_STARTED"]);
    expect(logged.every((d) => d.statusCode === 200 && d.error === null)).toBe(true);
    expect(state.webhooks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ teamId: fx.teamId, subscriberUrl: receiver.url, hasSecret: true }),
      ]),
    );
  });
});

describe("ping, missing secrets and failing subscribers", () => {
  it("pings with no-secret-provided when the subscriber has no secret", async () => {
    const other = await startHookReceiver();
    try {
      await setSandboxWebhook(fx.db, { teamId: fx.teamId, subscriberUrl: other.url, secret: null });
      const results = await sendSandboxPing(fx.db, { teamId: fx.teamId });
      expect(results).toEqual([expect.objectContaining({ ok: true, statusCode: 200 })]);
      const ping = other.received[0]!;
      expect(ping.headers["x-cal-signature-256"]).toBe("no-secret-provided");
      expect(ping.json).toMatchObject({
        triggerEvent: "PING",
        payload: { type: "Test", title: "Test trigger event", organizer: { email: "no-reply@cal.com" } },
      });
    } finally {
      await setSandboxWebhook(fx.db, { teamId: fx.teamId, subscriberUrl: receiver.url, secret: SECRET });
      await other.close();
    }
  });

  it("does not follow redirects and records the status", async () => {
    const redirecting = await startHookReceiver({ status: 302 });
    try {
      const res = await fx.control("/webhooks/ping", { body: { url: redirecting.url, secret: "s3cr3t" } });
      const [result] = ((await res.json()) as { data: { ok: boolean; statusCode: number }[] }).data;
      expect(result).toMatchObject({ ok: false, statusCode: 302 });
      expect(redirecting.received).toHaveLength(1);
      expect(redirecting.received[0]!.headers["x-cal-signature-256"]).toBe(
        createHmac("sha256", "s3cr3t").update(redirecting.received[0]!.raw).digest("hex"),
      );
    } finally {
      await redirecting.close();
    }
  });

  it("records a connection error without retrying", async () => {
    allowSandboxWebhookOrigin("http://127.0.0.1:9");
    const results = await sendSandboxPing(fx.db, { url: "http://127.0.0.1:9/api/webhooks/calcom/unreachable" });
    expect(results).toEqual([expect.objectContaining({ ok: false, statusCode: null, error: expect.any(String) })]);
  });
});
