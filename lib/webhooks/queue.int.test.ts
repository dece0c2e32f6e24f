import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appointments, services } from "@/drizzle/schema/core";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import { berlin, createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { setSandboxWebhook } from "@/lib/calcom-sandbox/webhooks";
import type { Db } from "@/lib/db/types";
import { waitFor } from "@/test/wait-for";
import { listWebhookDeliveries } from "./log";
import { getReprocessRun, reprocessDeliveries } from "./reprocess";
import { bookingBody, createWebhookCompany, deliveryRow, post, type WebhookTestCompany } from "./test-helpers";
import { withWebhookLoop } from "./test-setup";
import { purgeExpiredPayloads } from "./retention";
import { sendTestDelivery, testSignature } from "./tools";
import { hmacHex } from "./verify";

// The whole loop over real HTTP: the sandbox emits signed webhooks to our route handlers (served by a small Node
// server), the queue worker processes them, operators list, reprocess and test.
const HERREN = 3757770;
const actor = { kind: "system", label: "webhooks-it", role: "admin" } as const;
let db: Db;
let fx: SandboxFixture;
let co: WebhookTestCompany;
let baseUrl: string;

withWebhookLoop((d, r) => {
  db = d;
  baseUrl = r.url;
});
beforeAll(async () => {
  const secret = "whsec_queue_it_secret_0001";
  fx = await createSandboxFixture(db, { webhook: { url: `${baseUrl}/api/webhooks/calcom/PENDING`, secret } });
  co = await createWebhookCompany(db, { secrets: [secret], eventTypeId: fx.et(HERREN) });
  await setSandboxWebhook(db, {
    teamId: fx.teamId,
    subscriberUrl: `${baseUrl}/api/webhooks/calcom/${co.slug}`,
    secret,
  });
});
afterAll(async () => {
  await fx?.close();
});

const appointmentByUid = async (uid: string) =>
  (await db.select().from(appointments).where(eq(appointments.calcomBookingUid, uid)))[0];

describe("sandbox -> endpoint -> queue", () => {
  it("a booking made in Cal.com becomes an appointment; cancel and reschedule follow", async () => {
    const res = await fx.call("/v2/bookings", {
      version: "2024-08-13",
      body: {
        start: berlin("2050-11-07", "09:00"),
        eventTypeId: fx.et(HERREN),
        attendee: { name: "Queue Test", email: "queue@example.com", timeZone: "Europe/Berlin" },
      },
    });
    expect(res.status).toBe(201);
    const booking = ((await res.json()) as { data: { uid: string } }).data;
    const created = await waitFor(() => appointmentByUid(booking.uid), "appointment from BOOKING_CREATED");
    expect(created).toMatchObject({
      status: "confirmed",
      companyId: co.companyId,
      serviceId: co.serviceId,
      attendeeName: "Queue Test",
    });

    const moved = await fx.call(`/v2/bookings/${booking.uid}/reschedule`, {
      version: "2024-08-13",
      body: { start: berlin("2050-11-07", "11:00") },
    });
    const newUid = ((await moved.json()) as { data: { uid: string } }).data.uid;
    const after = await waitFor(() => appointmentByUid(newUid), "appointment moved by BOOKING_RESCHEDULED");
    expect(after.id).toBe(created.id);
    expect(after.startsAt.toISOString()).toBe(new Date(berlin("2050-11-07", "11:00")).toISOString());

    await fx.call(`/v2/bookings/${newUid}/cancel`, { version: "2024-08-13", body: { cancellationReason: "krank" } });
    await waitFor(async () => (await appointmentByUid(newUid))?.status === "cancelled", "cancellation");
    const log = await listWebhookDeliveries(db, { companyId: co.companyId, limit: 10 });
    expect(log.items.map((i) => i.triggerEvent)).toEqual(
      expect.arrayContaining(["BOOKING_CREATED", "BOOKING_RESCHEDULED", "BOOKING_CANCELLED"]),
    );
    expect(log.items.every((i) => i.verdict === "verified")).toBe(true);
  });

  it("reprocesses a parked booking once its event type is mapped, and bulk-reprocesses failed ones with a count first", async () => {
    const parked = await post(bookingBody("BOOKING_CREATED", { eventTypeId: 777_001 }), {
      slug: co.slug,
      secret: co.secret,
    });
    await waitFor(async () => (await deliveryRow(db, parked.json.id)).status === "processed", "parked delivery");
    await db
      .insert(services)
      .values({ companyId: co.companyId, name: "Neu", calcomEventTypeId: 777_001, durationMinutes: 30 });
    await reprocessDeliveries(db, { input: { mode: "one", id: parked.json.id }, actor });
    const row = await waitFor(async () => {
      const r = await deliveryRow(db, parked.json.id);
      return r.attempts === 2 && r.status === "processed" ? r : null;
    }, "reprocessed delivery");
    expect(row.outcome).toContain("Created appointment");

    const since = new Date().toISOString();
    const bad = await Promise.all(
      [1, 2, 3].map(() =>
        post(bookingBody("BOOKING_CREATED", { eventTypeId: co.eventTypeId, status: "WEIRD" }), {
          slug: co.slug,
          secret: co.secret,
        }),
      ),
    );
    for (const b of bad)
      await waitFor(async () => (await deliveryRow(db, b.json.id)).status === "failed", "failed delivery");
    const count = await reprocessDeliveries(db, {
      input: { mode: "failed", filter: { companyId: co.companyId }, since, dryRun: true },
      actor,
    });
    expect(count).toMatchObject({ dryRun: true, count: 3 });
    const run = await reprocessDeliveries(db, {
      input: { mode: "failed", filter: { companyId: co.companyId }, since },
      actor,
    });
    if (run.mode !== "failed" || run.dryRun) throw new Error("expected a run");
    const progress = await waitFor(async () => {
      const p = await getReprocessRun(db, run.runId);
      return p.pending === 0 ? p : null;
    }, "bulk run");
    expect(progress).toMatchObject({ total: 3, failed: 3, done: 0 });
  });

  it("a reschedule that needs confirmation arrives as BOOKING_REQUESTED and moves the appointment as pending", async () => {
    const secret = "whsec_queue_it_praxis_0002";
    const praxis = await createSandboxFixture(db, { slug: "praxis-am-markt" });
    try {
      const pc = await createWebhookCompany(db, { secrets: [secret], eventTypeId: praxis.et(2563194) });
      await setSandboxWebhook(db, {
        teamId: praxis.teamId,
        subscriberUrl: `${baseUrl}/api/webhooks/calcom/${pc.slug}`,
        secret,
      });
      const res = await praxis.call("/v2/bookings", {
        version: "2024-08-13",
        body: {
          start: berlin("2050-10-11", "09:00"),
          eventTypeId: praxis.et(2563194),
          attendee: {
            name: "Neu Patient",
            email: "neu@example.com",
            timeZone: "Europe/Berlin",
            phoneNumber: "+4930999999",
          },
        },
      });
      const created = (await res.json()) as { data: { uid: string } };
      expect(res.status, JSON.stringify(created)).toBe(201);
      const uid = created.data.uid;
      expect((await waitFor(() => appointmentByUid(uid), "pending appointment")).status).toBe("pending");
      await praxis.call(`/v2/bookings/${uid}/confirm`, { version: "2024-08-13", body: {} });
      await waitFor(async () => (await appointmentByUid(uid))?.status === "confirmed", "confirmation");
      const moved = await praxis.call(`/v2/bookings/${uid}/reschedule`, {
        version: "2024-08-13",
        body: { start: berlin("2050-10-12", "10:00"), rescheduledBy: "neu@example.com" },
      });
      const newUid = ((await moved.json()) as { data: { uid: string } }).data.uid;
      const after = await waitFor(() => appointmentByUid(newUid), "appointment moved by BOOKING_REQUESTED");
      expect(after.status).toBe("pending");
      const log = await listWebhookDeliveries(db, { bookingUid: newUid, limit: 5 });
      expect(log.items[0]).toMatchObject({ triggerEvent: "BOOKING_REQUESTED", status: "processed" });
    } finally {
      await praxis.close();
    }
  });

  it("sends a signed test delivery to its own endpoint, recorded as a successful PING", async () => {
    const result = await sendTestDelivery(db, { companyId: co.companyId, baseUrl, actor });
    expect(result).toMatchObject({ ok: true, status: 200, secretLabel: "current" });
    const row = await waitFor(async () => {
      const r = await deliveryRow(db, result.deliveryId!);
      return r.status === "processed" ? r : null;
    }, "ping");
    expect(row).toMatchObject({
      triggerEvent: "PING",
      verdict: "verified",
      outcome: expect.stringContaining("Ping test"),
    });
  });
});

describe("operator tools and retention", () => {
  it("explains a signature: match, trailing newline, re-serialised JSON, prefix", () => {
    const payload = '{"triggerEvent":"PING", "createdAt":"x"}';
    expect(testSignature({ payload, secret: "s3cret", signature: hmacHex("s3cret", payload) })).toMatchObject({
      isMatch: true,
      verdict: "match",
    });
    expect(
      testSignature({ payload: `${payload}\n`, secret: "s3cret", signature: hmacHex("s3cret", payload) }),
    ).toMatchObject({ isMatch: true, verdict: "match without trailing newline" });
    const compact = JSON.stringify(JSON.parse(payload));
    expect(
      testSignature({ payload, secret: "s3cret", signature: hmacHex("s3cret", compact) }).notes.join(" "),
    ).toContain("re-serialised");
    expect(
      testSignature({ payload, secret: "wrong", signature: `sha256=${hmacHex("s3cret", payload)}` }).notes.join(" "),
    ).toContain("sha256=");
  });

  it("purges payload bodies after the retention period and keeps the metadata", async () => {
    const res = await post(bookingBody("BOOKING_CREATED"), { slug: co.slug, secret: co.secret });
    await db
      .update(webhookDeliveries)
      .set({ receivedAt: new Date(Date.now() - 40 * 86_400_000) })
      .where(eq(webhookDeliveries.id, res.json.id));
    expect(await purgeExpiredPayloads(db)).toBeGreaterThanOrEqual(1);
    const row = await deliveryRow(db, res.json.id);
    expect(row.body).toBeNull();
    expect(row.bodyPurgedAt).not.toBeNull();
    expect(row).toMatchObject({ verdict: "verified", triggerEvent: "BOOKING_CREATED" });
  });
});
