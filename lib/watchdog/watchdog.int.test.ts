import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alerts } from "@/drizzle/schema/alerts";
import { outboxMessages } from "@/drizzle/schema/booking";
import { webhookExpectations } from "@/drizzle/schema/ops";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { notifyAlertOpened } from "@/lib/alerts/notify";
import { updateAlertThresholds } from "@/lib/alerts/settings";
import { bookAppointment } from "@/lib/booking/book";
import { cancelByUid, rescheduleByUid } from "@/lib/booking/manage";
import { createBookingCompany, futureWeekday } from "@/lib/booking/test-helpers";
import { createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { setSandboxWebhook } from "@/lib/calcom-sandbox/webhooks";
import type { Db } from "@/lib/db/types";
import { processDelivery } from "@/lib/webhooks/process";
import { bookingBody, post } from "@/lib/webhooks/test-helpers";
import { withWebhookLoop, type ReceiverServer } from "@/lib/webhooks/test-setup";
import { expectWebhook } from "./expectations";
import { watchdogProbe } from "./probe";
import { checkWebhookSubscription } from "./subscription";
import { waitFor } from "@/test/wait-for";
import { addWebhookSecret } from "./test-helpers";
import { allowSandboxWebhookOrigin } from "@/lib/calcom-sandbox/webhook-target";
import { sandboxWebhooks } from "@/drizzle/schema/sandbox";

// The watchdog over real HTTP: our booking flow calls the sandbox, the sandbox signs and sends its webhooks to our
// receiver, pg-boss workers process them, and the watchdog checks that each change we made came back.
const actor = { kind: "system", label: "watchdog-it", role: "admin" } as const;
const SECRET = "whsec_watchdog_it_secret_0001";
let db: Db;
let fx: SandboxFixture;
let receiver: ReceiverServer;
let co: Awaited<ReturnType<typeof createBookingCompany>>;
let hookUrl: string;

withWebhookLoop((d, r) => {
  db = d;
  receiver = r;
});
beforeAll(async () => {
  fx = await createSandboxFixture(db);
  co = await createBookingCompany(db, fx);
  await addWebhookSecret(db, co.company.id, SECRET);
  hookUrl = `${receiver.url}/api/webhooks/calcom/${co.company.slug}`;
  allowSandboxWebhookOrigin(receiver.url);
  await setSandboxWebhook(db, { teamId: fx.teamId, subscriberUrl: hookUrl, secret: SECRET });
});
afterAll(async () => {
  await fx?.close();
});

const expectationsOf = (appointmentId: number) =>
  db
    .select()
    .from(webhookExpectations)
    .where(eq(webhookExpectations.appointmentId, appointmentId))
    .orderBy(webhookExpectations.id);
const openAlert = async (kind: string) =>
  (
    await db
      .select()
      .from(alerts)
      .where(and(eq(alerts.companyId, co.company.id), eq(alerts.kind, kind)))
      .orderBy(alerts.id)
  ).filter((a) => a.status !== "resolved");
const attendee = (name: string) => ({ name, email: `${name.toLowerCase()}@example.com`, timeZone: "Europe/Berlin" });
let day = 20;
const book = (name: string) =>
  bookAppointment(db, {
    companyId: co.company.id,
    service: "Herrenhaarschnitt",
    start: futureWeekday(day++, "10:00").toISOString(),
    attendee: attendee(name),
  });

describe("expected webhooks", () => {
  it("marks the webhooks of our own create, reschedule and cancel as met", async () => {
    const booked = await book("Met");
    expect(booked.outcome).toBe("booked");
    const created = await waitFor(
      async () => (await expectationsOf(booked.appointmentId)).find((e) => e.action === "create" && e.status === "met"),
      "create met",
    );
    expect(created).toMatchObject({ bookingUid: booked.uid, actualTrigger: "BOOKING_CREATED" });

    const moved = await rescheduleByUid(db, {
      uid: booked.uid!,
      start: futureWeekday(day++, "11:00").toISOString(),
      actor,
    });
    await waitFor(
      async () =>
        (await expectationsOf(booked.appointmentId)).find((e) => e.action === "reschedule" && e.status === "met"),
      "reschedule met",
    );
    await cancelByUid(db, { uid: moved.newUid, reason: "test", actor });
    const all = await waitFor(async () => {
      const rows = await expectationsOf(booked.appointmentId);
      return rows.find((e) => e.action === "cancel" && e.status === "met") ? rows : null;
    }, "cancel met");
    expect(all.map((e) => [e.action, e.status, e.actualTrigger])).toEqual([
      ["create", "met", "BOOKING_CREATED"],
      ["reschedule", "met", "BOOKING_RESCHEDULED"],
      ["cancel", "met", "BOOKING_CANCELLED"],
    ]);
  });

  it("alerts when the sandbox suppresses the webhook of our booking, and notifies through the outbox", async () => {
    await updateAlertThresholds(db, {
      companyId: co.company.id,
      input: { webhookDeadlineMinutes: 2, notifyEmail: "ops@example.com" },
      actor,
    });
    await setSandboxWebhook(db, { teamId: fx.teamId, subscriberUrl: hookUrl, secret: SECRET, active: false });
    try {
      const booked = await book("Suppressed");
      const [pending] = await expectationsOf(booked.appointmentId);
      expect(pending).toMatchObject({ action: "create", status: "pending", bookingUid: booked.uid });
      expect(pending!.deadlineAt.getTime() - pending!.createdAt.getTime()).toBe(2 * 60_000);

      // Within the deadline nothing is raised; after it, the expectation is missed and the alert opens.
      await evaluateAlerts(db, { probes: [watchdogProbe], now: new Date(Date.now() + 60_000) });
      expect(await openAlert("webhook_missing")).toEqual([]);
      const result = await evaluateAlerts(db, {
        probes: [watchdogProbe],
        now: new Date(Date.now() + 3 * 60_000),
        onOpened: notifyAlertOpened,
      });
      expect(result.opened).toContainEqual(
        expect.objectContaining({ companyId: co.company.id, kind: "webhook_missing" }),
      );
      expect((await expectationsOf(booked.appointmentId))[0]).toMatchObject({ status: "missed" });
      const [alert] = await openAlert("webhook_missing");
      expect(alert!.message).toContain(booked.uid!);
      const mail = await db
        .select()
        .from(outboxMessages)
        .where(eq(outboxMessages.dedupeKey, `alert:${alert!.id}`));
      expect(mail).toEqual([expect.objectContaining({ channel: "email", recipient: "ops@example.com" })]);
    } finally {
      await setSandboxWebhook(db, { teamId: fx.teamId, subscriberUrl: hookUrl, secret: SECRET });
    }
  });

  it("records a cancel of our booking made directly in Cal.com as unexpected, but not a booking made there", async () => {
    const booked = await book("Direct");
    await waitFor(
      async () => (await expectationsOf(booked.appointmentId)).find((e) => e.status === "met"),
      "create met",
    );
    const res = await fx.call(`/v2/bookings/${booked.uid}/cancel`, {
      version: "2024-08-13",
      body: { cancellationReason: "called the salon" },
    });
    expect(res.status).toBe(200);
    const unexpected = await waitFor(
      async () => (await expectationsOf(booked.appointmentId)).find((e) => e.status === "unexpected"),
      "unexpected change",
    );
    expect(unexpected).toMatchObject({ action: "cancel", bookingUid: booked.uid, actualTrigger: "BOOKING_CANCELLED" });
    // Reprocessing the same delivery does not count the change twice.
    expect((await processDelivery(db, { deliveryId: unexpected.deliveryId!, statuses: ["processed"] })).status).toBe(
      "processed",
    );
    expect((await expectationsOf(booked.appointmentId)).filter((e) => e.status === "unexpected")).toHaveLength(1);

    const before = await db.select().from(webhookExpectations).where(eq(webhookExpectations.companyId, co.company.id));
    const direct = await fx.call("/v2/bookings", {
      version: "2024-08-13",
      body: {
        start: futureWeekday(day++, "14:00").toISOString(),
        eventTypeId: co.byName("Herrenhaarschnitt").calcomEventTypeId,
        attendee: attendee("Walkin"),
      },
    });
    const directUid = ((await direct.json()) as { data: { uid: string } }).data.uid;
    await fx.call(`/v2/bookings/${directUid}/cancel`, { version: "2024-08-13", body: { cancellationReason: "no" } });
    await waitFor(async () => {
      const rows = await db
        .select()
        .from(webhookDeliveries)
        .where(
          and(eq(webhookDeliveries.bookingUid, directUid), eq(webhookDeliveries.triggerEvent, "BOOKING_CANCELLED")),
        );
      return rows.some((r) => r.status === "processed" || r.status === "ignored");
    }, "direct booking's cancel processed");
    const after = await db.select().from(webhookExpectations).where(eq(webhookExpectations.companyId, co.company.id));
    expect(after.length).toBe(before.length);

    await evaluateAlerts(db, { probes: [watchdogProbe] });
    expect(await openAlert("webhook_unexpected_change")).toEqual([expect.objectContaining({ severity: "info" })]);
  });
});

describe("wrong trigger", () => {
  it("marks our reschedule as answered by another change when Cal.com cancels the old uid instead", async () => {
    const booked = await book("Wrong");
    await waitFor(
      async () => (await expectationsOf(booked.appointmentId)).find((e) => e.status === "met"),
      "create met",
    );
    const expected = await expectWebhook(db, {
      companyId: co.company.id,
      appointmentId: booked.appointmentId,
      action: "reschedule",
      bookingUid: booked.uid!,
    });
    expect(expected).toMatchObject({ status: "pending", triggers: ["BOOKING_RESCHEDULED", "BOOKING_REQUESTED"] });
    const res = await post(
      bookingBody("BOOKING_CANCELLED", {
        uid: booked.uid!,
        eventTypeId: co.byName("Herrenhaarschnitt").calcomEventTypeId!,
      }),
      { slug: co.company.slug, secret: SECRET },
    );
    expect(res.status).toBe(200);
    const wrong = await waitFor(
      async () =>
        (await expectationsOf(booked.appointmentId)).find((e) => e.id === expected!.id && e.status !== "pending"),
      "expectation answered",
    );
    expect(wrong).toMatchObject({
      status: "wrong_trigger",
      actualTrigger: "BOOKING_CANCELLED",
      deliveryId: res.json.id,
    });
    await evaluateAlerts(db, { probes: [watchdogProbe] });
    expect(await openAlert("webhook_wrong_trigger")).toEqual([expect.objectContaining({ severity: "warning" })]);
  });
});

describe("subscription check", () => {
  it("passes for our URL, secret and triggers, and reports each kind of drift", async () => {
    expect(await checkWebhookSubscription(db, co.company.id)).toMatchObject({ isOk: true, issues: [] });

    await setSandboxWebhook(db, {
      teamId: fx.teamId,
      subscriberUrl: hookUrl,
      secret: null,
      triggers: ["BOOKING_CREATED", "BOOKING_CANCELLED"],
    });
    const drift = await checkWebhookSubscription(db, co.company.id);
    expect(drift.isOk).toBe(false);
    expect(drift.issues.map((i) => i.code)).toEqual(["missing_triggers", "no_secret"]);
    expect(drift.issues[0]!.message).toContain("BOOKING_RESCHEDULED");

    await setSandboxWebhook(db, { teamId: fx.teamId, subscriberUrl: hookUrl, secret: "whsec_someone_elses_secret" });
    expect((await checkWebhookSubscription(db, co.company.id)).issues.map((i) => i.code)).toEqual(["unknown_secret"]);

    // Real Cal.com lets a subscription point anywhere; our sandbox only delivers to this app, so the row is moved
    // directly (the check reads it through GET /v2/webhooks like any other).
    await db
      .update(sandboxWebhooks)
      .set({ subscriberUrl: "https://elsewhere.example.com/hooks", secret: SECRET })
      .where(eq(sandboxWebhooks.teamId, fx.teamId));
    const gone = await checkWebhookSubscription(db, co.company.id);
    expect(gone.issues).toEqual([expect.objectContaining({ code: "no_subscription" })]);
    expect(gone.webhooks).toEqual([
      expect.objectContaining({ subscriberUrl: "https://elsewhere.example.com/hooks", isOurs: false, hasSecret: true }),
    ]);

    await evaluateAlerts(db, { probes: [watchdogProbe] });
    expect(await openAlert("webhook_subscription_drift")).toHaveLength(1);
    await setSandboxWebhook(db, { teamId: fx.teamId, subscriberUrl: hookUrl, secret: SECRET });
    await checkWebhookSubscription(db, co.company.id);
    await evaluateAlerts(db, { probes: [watchdogProbe] });
    expect(await openAlert("webhook_subscription_drift")).toEqual([]);
  });
});
