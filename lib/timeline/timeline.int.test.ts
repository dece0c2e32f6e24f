import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAvailability } from "@/lib/booking/availability";
import { bookAppointment } from "@/lib/booking/book";
import { cancelByUid } from "@/lib/booking/manage";
import { attemptManualBooking } from "@/lib/booking/recovery";
import { createBookingCompany, futureWeekday } from "@/lib/booking/test-helpers";
import { resetSandbox } from "@/lib/calcom-sandbox/control";
import { setSandboxFaults } from "@/lib/calcom-sandbox/faults";
import { createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { setSandboxWebhook } from "@/lib/calcom-sandbox/webhooks";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { addWebhookSecret } from "@/lib/watchdog/test-helpers";
import { waitFor } from "@/test/wait-for";
import { withWebhookLoop, type ReceiverServer } from "@/lib/webhooks/test-setup";
import { buildSupportBundle } from "./bundle";
import { getTimeline } from "./timeline";
import { allowSandboxWebhookOrigin } from "@/lib/calcom-sandbox/webhook-target";

// The timeline of a booking that went through an outage: offered slots, a failed POST, the manual queue, recovery,
// Cal.com's webhooks, the watchdog and our own cancel, all against the sandbox over HTTP.
const actor = { kind: "system", label: "timeline-it", role: "admin" } as const;
const SECRET = "whsec_timeline_it_secret_0001";
let db: Db;
let fx: SandboxFixture;
let receiver: ReceiverServer;

withWebhookLoop((d, r) => {
  db = d;
  receiver = r;
});
beforeAll(async () => {
  fx = await createSandboxFixture(db);
});
afterAll(async () => {
  await resetSandbox(db);
  await fx?.close();
});

describe("booking timeline", () => {
  it("tells the whole story of an appointment that went through the manual queue, and exports it redacted", async () => {
    const { company } = await createBookingCompany(db, fx);
    await addWebhookSecret(db, company.id, SECRET);
    allowSandboxWebhookOrigin(receiver.url);
    await setSandboxWebhook(db, {
      teamId: fx.teamId,
      subscriberUrl: `${receiver.url}/api/webhooks/calcom/${company.slug}`,
      secret: SECRET,
    });
    const start = futureWeekday(12, "10:00");
    const date = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(start);
    await getAvailability(db, { companyId: company.id, service: "Herrenhaarschnitt", date });

    await setSandboxFaults(db, { families: { bookings: { forceStatus: 503 } } });
    const queued = await bookAppointment(db, {
      companyId: company.id,
      service: "Herrenhaarschnitt",
      start: start.toISOString(),
      idempotencyKey: "call-4711",
      attendee: {
        name: "Greta Kundin",
        email: "greta.kundin@example.com",
        phone: "+4930123456789",
        timeZone: "Europe/Berlin",
      },
    });
    expect(queued.outcome).toBe("manual");
    await resetSandbox(db);
    const recovered = await attemptManualBooking(db, { id: queued.manualBooking!.id });
    expect(recovered.outcome).toBe("booked");
    const uid = recovered.message.split(": ").at(-1)!;
    const id = queued.appointmentId;
    await waitFor(
      async () => (await getTimeline(db, id)).events.some((e) => e.kind === "watchdog" && e.title.endsWith("arrived")),
      "BOOKING_CREATED noted",
    );
    await cancelByUid(db, { uid, reason: "Kundin abgesagt", actor });
    const timeline = await waitFor(async () => {
      const t = await getTimeline(db, id);
      return t.events.some(
        (e) => e.kind === "webhook" && e.title.startsWith("Webhook BOOKING_CANCELLED") && !e.title.endsWith("pending"),
      )
        ? t
        : null;
    }, "BOOKING_CANCELLED received");

    expect(timeline.subject).toMatchObject({
      appointmentId: id,
      companyId: company.id,
      status: "cancelled",
      idempotencyKey: "call-4711",
      currentUid: uid,
      uids: [uid],
      serviceName: "Herrenhaarschnitt",
    });
    const kinds = timeline.events.map((e) => e.kind);
    const first = (kind: string, text = "") =>
      timeline.events.findIndex((e) => e.kind === kind && e.title.includes(text));
    // In order: what the caller was offered, the request, the refused POST, the queue, recovery, Cal.com's webhooks.
    expect(first("slot_query")).toBeGreaterThanOrEqual(0);
    expect(first("slot_query")).toBeLessThan(first("booking_request"));
    expect(first("booking_request")).toBeLessThan(first("calcom_call", "POST /v2/bookings → 503"));
    expect(first("calcom_call", "POST /v2/bookings → 503")).toBeLessThan(
      first("manual_queue", "Queued for manual booking (calcom_failing)"),
    );
    expect(first("manual_queue", "Queued")).toBeLessThan(first("calcom_call", "POST /v2/bookings → 201"));
    expect(first("calcom_call", "POST /v2/bookings → 201")).toBeLessThan(
      first("webhook", "BOOKING_CREATED: verified, processed"),
    );
    expect(first("manual_queue", "Manual queue entry booked")).toBeGreaterThan(first("manual_queue", "Queued"));
    expect(first("calcom_call", "POST /v2/bookings/{uid}/cancel → 200")).toBeLessThan(
      first("webhook", "BOOKING_CANCELLED: verified, processed"),
    );
    expect(kinds).toEqual(expect.arrayContaining(["notification", "watchdog", "audit"]));
    const failedPost = timeline.events[first("calcom_call", "POST /v2/bookings → 503")]!;
    expect(failedPost.detail).toContain("breaker closed");
    expect(failedPost.data).toMatchObject({ correlation: "idem:call-4711", status: 503, calCode: "CAL-012" });
    expect(timeline.events.filter((e) => e.kind === "audit").map((e) => e.title)).toContain(
      "booking.cancel by timeline-it",
    );
    expect(timeline.events.filter((e) => e.kind === "watchdog").map((e) => e.title)).toEqual([
      "Expected webhook for our create: arrived",
      "Expected webhook for our cancel: arrived",
    ]);

    // The uid finds the same story.
    expect((await getTimeline(db, uid)).subject.appointmentId).toBe(id);

    const { filename, bundle } = await buildSupportBundle(db, id);
    expect(filename).toMatch(new RegExp(`^support-bundle-appointment-${id}-\\d{8}T\\d{6}\\.json$`));
    const text = JSON.stringify(bundle);
    for (const secret of ["greta.kundin@example.com", "Greta", "Kundin", "+4930123456789", fx.apiKey, SECRET])
      expect(text).not.toContain(secret);
    expect(bundle.timeline.subject.attendee).toEqual({ name: "G***", email: "g***@***.com", phone: "+***" });
    expect(bundle.timeline.events.length).toBe(timeline.events.length);
  });

  it("refuses an unknown appointment and a string that is neither id nor uid", async () => {
    await expect(getTimeline(db, 2_000_000_000)).rejects.toThrow(
      new AppError("NOT_FOUND", "Appointment #2000000000 does not exist"),
    );
    await expect(getTimeline(db, "no spaces!")).rejects.toThrow(/is not an appointment id or a booking uid/);
  });
});
