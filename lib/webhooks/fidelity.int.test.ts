import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { appointments, companyWebhookSecrets } from "@/drizzle/schema/core";
import { sandboxEventTypes } from "@/drizzle/schema/sandbox";
import { webhookAppointmentChanges, webhookDeliveries } from "@/drizzle/schema/webhooks";
import { POST as postPinned } from "@/app/api/webhooks/calcom/[companySlug]/route";
import { listAppointments } from "@/lib/appointments/appointments";
import { bookAppointment } from "@/lib/booking/book";
import { createBookingCompany, futureWeekday } from "@/lib/booking/test-helpers";
import { REAL_CALCOM_FIDELITY, setSandboxFidelity } from "@/lib/calcom-sandbox/fidelity";
import { createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { setSandboxWebhook } from "@/lib/calcom-sandbox/webhooks";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { getDbHandle } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { startJobQueue, stopJobQueue } from "@/lib/jobs/queue";
import { closeDb, getTestDb } from "@/test/db";
import { webhooksJobs } from "./jobs";
import { processDelivery } from "./process";
import { updateWebhookSettings } from "./settings";
import { allowSandboxWebhookOrigin } from "@/lib/calcom-sandbox/webhook-target";

// Contract §8.2 – §8.5 end to end over HTTP: the sandbox (in its real-Cal.com settings for each case) books and sends
// webhooks to our route handler; the app server here processes each delivery before it answers, the fastest (and
// hardest) ordering, so every assertion runs after processing without waiting.
const DAMEN = 3757757;
const actor = { kind: "system", label: "fidelity-it", role: "admin" } as const;
let db: Db;
let fx: SandboxFixture;
let server: Server;
let company: Awaited<ReturnType<typeof createBookingCompany>>;
const processed: { id: number; status: string; outcome: string }[] = [];

async function startAppServer(): Promise<Server> {
  const s = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const slug = url.pathname.split("/").at(-1)!;
    const response = await postPinned(new Request(url, { method: "POST", headers, body: Buffer.concat(chunks) }), {
      params: Promise.resolve({ companySlug: slug }),
    });
    const body = (await response.json()) as { id?: number };
    if (response.status === 200 && body.id)
      processed.push({ id: body.id, ...(await processDelivery(db, { deliveryId: body.id })) });
    res.writeHead(response.status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", () => resolve()));
  return s;
}

beforeAll(async () => {
  db = await getTestDb();
  await startJobQueue(webhooksJobs, { workers: false, handle: await getDbHandle() });
  server = await startAppServer();
  fx = await createSandboxFixture(db);
  company = await createBookingCompany(db, fx);
  const secret = `whsec_${randomBytes(12).toString("hex")}`;
  await db.insert(companyWebhookSecrets).values({
    companyId: company.company.id,
    label: "current",
    secretEnc: encryptSecret(secret),
    secretLast4: secret.slice(-4),
  });
  const port = (server.address() as AddressInfo).port;
  allowSandboxWebhookOrigin(`http://127.0.0.1:${port}`);
  await setSandboxWebhook(db, {
    teamId: fx.teamId,
    subscriberUrl: `http://127.0.0.1:${port}/api/webhooks/calcom/${company.company.slug}`,
    secret,
  });
  // The sandbox in its real-Cal.com settings (docs/calcom-fidelity.md): the webhook before the answer (§8.2),
  // REQUESTED without reschedule fields (§8.3), unsigned MEETING_* (§8.5), owner-only schedules, no admin API.
  await setSandboxFidelity(db, REAL_CALCOM_FIDELITY, { replace: true });
});
afterEach(async () => {
  await setSandboxFidelity(db, REAL_CALCOM_FIDELITY, { replace: true });
});
afterAll(async () => {
  await setSandboxFidelity(db, {}, { replace: true });
  await fx?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await stopJobQueue();
  await closeDb();
});

const appointmentsOf = (uid: string) =>
  db
    .select()
    .from(appointments)
    .where(and(eq(appointments.companyId, company.company.id), eq(appointments.calcomBookingUid, uid)));
const historyOf = async (id: number) =>
  (
    await db
      .select()
      .from(webhookAppointmentChanges)
      .where(eq(webhookAppointmentChanges.appointmentId, id))
      .orderBy(webhookAppointmentChanges.id)
  ).map((c) => c.change);
const book = (serviceName: string, start: Date, name: string) =>
  bookAppointment(db, {
    companyId: company.company.id,
    service: serviceName,
    start: start.toISOString(),
    attendee: { name, email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.com`, timeZone: "Europe/Berlin" },
    idempotencyKey: `fidelity-${randomBytes(6).toString("hex")}`,
  });
const reschedule = async (uid: string, start: Date) => {
  const res = await fx.call(`/v2/bookings/${uid}/reschedule`, {
    version: "2024-08-13",
    body: { start: start.toISOString() },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { data: { uid: string; status: string } }).data;
};

describe("contract §8.2: the webhook arrives before the API answer", () => {
  it("folds BOOKING_CREATED into the booking flow's appointment by metadata.idempotencyKey: one appointment", async () => {
    const result = await book("Herrenhaarschnitt", futureWeekday(20, "09:00"), "Race Eins");
    expect(result.outcome).toBe("booked");
    const delivery = processed.find((p) => p.outcome.includes(result.uid!));
    expect(delivery).toMatchObject({
      status: "processed",
      outcome: `Booking ${result.uid} is the app's own request: folded into appointment #${result.appointmentId} (confirmed)`,
    });
    const rows = await appointmentsOf(result.uid!);
    expect(rows.map((r) => r.id)).toEqual([result.appointmentId]);
    expect(await historyOf(result.appointmentId)).toEqual([
      expect.stringMatching(/^webhook before the API answer: folded in by metadata\.idempotencyKey/),
    ]);
  });
});

describe("contract §8.3: BOOKING_REQUESTED of a reschedule without rescheduleUid", () => {
  it("looks the booking up, links it by rescheduledFromUid and moves the appointment (no second one)", async () => {
    await db
      .update(sandboxEventTypes)
      .set({ requiresConfirmation: true })
      .where(eq(sandboxEventTypes.id, fx.et(DAMEN)));
    try {
      const first = await book("Damenhaarschnitt", futureWeekday(21, "09:45"), "Requested Eins");
      expect(first.outcome).toBe("pending_confirmation");
      const moved = await reschedule(first.uid!, futureWeekday(21, "13:30"));
      expect(moved.status).toBe("pending");
      const requested = await db
        .select()
        .from(webhookDeliveries)
        .where(
          and(eq(webhookDeliveries.bookingUid, moved.uid), eq(webhookDeliveries.triggerEvent, "BOOKING_REQUESTED")),
        );
      expect(requested).toHaveLength(1);
      expect(JSON.parse(requested[0]!.body!).payload).not.toHaveProperty("rescheduleUid");
      expect(requested[0]!.outcome).toContain(
        `(BOOKING_REQUESTED without rescheduleUid: Cal.com says it was rescheduled from ${first.uid})`,
      );
      const rows = await appointmentsOf(moved.uid);
      expect(rows).toEqual([expect.objectContaining({ id: first.appointmentId, status: "pending" })]);
      const byOld = await listAppointments(db, { companyId: company.company.id, bookingUid: first.uid!, limit: 10 });
      expect(byOld.items).toEqual([
        expect.objectContaining({
          id: first.appointmentId,
          calcomBookingUid: moved.uid,
          previousUids: [first.uid],
          rescheduledFromUid: first.uid,
        }),
      ]);
    } finally {
      await db
        .update(sandboxEventTypes)
        .set({ requiresConfirmation: false })
        .where(eq(sandboxEventTypes.id, fx.et(DAMEN)));
    }
  });
});

describe("contract §8.4: request-reschedule", () => {
  it("the attendee's rebooking (BOOKING_RESCHEDULED of a cancelled booking) revives the appointment, linked to the old uid", async () => {
    const first = await book("Herrenhaarschnitt", futureWeekday(22, "09:00"), "Request Eins");
    expect(first.outcome).toBe("booked");
    expect(
      (await fx.call(`/v2/bookings/${first.uid}/request-reschedule`, { version: "2024-08-13", body: {} })).status,
    ).toBe(404);
    const asked = await fx.call(`/v2/bookings/${first.uid}/request-reschedule`, {
      version: "2026-02-25",
      body: { rescheduleReason: "Krank" },
    });
    expect(asked.status).toBe(200);
    expect(await asked.json()).toEqual({ status: "success" });
    expect((await appointmentsOf(first.uid!))[0]?.status).toBe("cancelled");

    const rebooked = await reschedule(first.uid!, futureWeekday(22, "15:00"));
    const rows = await appointmentsOf(rebooked.uid);
    expect(rows).toEqual([expect.objectContaining({ id: first.appointmentId, status: "confirmed" })]);
    expect((await historyOf(first.appointmentId)).at(-1)).toBe(
      `revived: the attendee rebooked ${first.uid} -> ${rebooked.uid} after the host's request to reschedule (cancelled -> confirmed)`,
    );
    const byOld = await listAppointments(db, { bookingUid: first.uid!, limit: 10 });
    expect(byOld.items).toEqual([
      expect.objectContaining({
        id: first.appointmentId,
        calcomBookingUid: rebooked.uid,
        rescheduledFromUid: first.uid,
        previousUids: [first.uid],
      }),
    ]);
  });
});

describe("contract §8.5: MEETING_* built at booking time, sometimes unsigned", () => {
  it("keeps an unsigned MEETING_ENDED as unverified and unapplied; applies one after the company opts in; never completes or no-shows", async () => {
    const booked = await book("Herrenhaarschnitt", futureWeekday(23, "09:00"), "Meeting Eins");
    const ended = await fx.control("/webhooks/meeting", { body: { bookingUid: booked.uid, trigger: "MEETING_ENDED" } });
    expect(ended.status).toBe(200);
    const [unverified] = await db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.bookingUid, booked.uid!), eq(webhookDeliveries.triggerEvent, "MEETING_ENDED")));
    expect(unverified).toMatchObject({
      verdict: "unverified",
      companyId: company.company.id,
      status: "ignored",
      responseStatus: 200,
    });
    expect(unverified!.outcome).toBe(
      "Unverified MEETING_ENDED (no signature) kept in the log, not applied: the company has not opted in to unsigned meeting events",
    );
    expect(JSON.parse(unverified!.body!).attendees).toEqual([expect.objectContaining({ noShow: false })]);

    await updateWebhookSettings(db, { input: { companyId: company.company.id, applyUnverifiedMeetings: true }, actor });
    await fx.control("/webhooks/meeting", { body: { bookingUid: booked.uid, trigger: "MEETING_STARTED" } });
    const [started] = await db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.bookingUid, booked.uid!), eq(webhookDeliveries.triggerEvent, "MEETING_STARTED")));
    expect(started).toMatchObject({ verdict: "unverified", status: "processed" });
    expect(started!.outcome).toContain("(unsigned, applied by the company's opt-in)");
    expect((await appointmentsOf(booked.uid!))[0]?.status).toBe("confirmed");
  });
});
