import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sandboxApiKeys } from "@/drizzle/schema/sandbox";
import type { Db } from "@/lib/db/types";
import { getTestDb } from "@/test/db";
import { hashApiKey } from "./auth";
import { eq } from "drizzle-orm";
import { auditLog } from "@/drizzle/schema/core";
import { updateSandboxFidelity } from "@/lib/calcom-sandbox/fidelity-admin";
import { REAL_CALCOM_FIDELITY, setSandboxFidelity } from "./fidelity";
import { berlin, createSandboxFixture, startHookReceiver, type SandboxFixture } from "./test-fixtures";
import { setSandboxWebhook } from "./webhooks";

// The sandbox's own side of contract §2 and §8: each behaviour as Cal.com shows it over HTTP, per setting.
const HERREN = 3757770;
type Body = {
  status: string;
  data: unknown;
  error?: { code: string; message: string; details: Record<string, unknown> };
};
let db: Db;
let fx: SandboxFixture;
let hooks: Awaited<ReturnType<typeof startHookReceiver>>;
let ids: {
  managedParent: number;
  managedChildren: { id: number; hostUserId: number }[];
  seated: number;
  recurring: number;
};

beforeAll(async () => {
  db = await getTestDb();
  hooks = await startHookReceiver();
  fx = await createSandboxFixture(db);
  await setSandboxWebhook(db, { teamId: fx.teamId, subscriberUrl: hooks.url, secret: "sandbox-fidelity-secret" });
  ids = ((await (await fx.control("/fidelity/seed", { body: { teamId: fx.teamId } })).json()) as { data: typeof ids })
    .data;
});
afterEach(async () => {
  await setSandboxFidelity(db, {}, { replace: true });
});
afterAll(async () => {
  await fx?.close();
  await hooks?.close();
});

const json = async (res: Response) => (await res.json()) as Body;
const attendee = (name: string) => ({
  name,
  email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.com`,
  timeZone: "Europe/Berlin",
});
const create = (body: Record<string, unknown>) => fx.call("/v2/bookings", { version: "2024-08-13", body });

describe("§2: plain-string validation on GET /v2/slots", () => {
  it("refuses an unknown key (forbidNonWhitelisted) with one flat message and no details.errors[]", async () => {
    const res = await fx.call(`/v2/slots?eventTypeId=${fx.et(HERREN)}&start=2050-09-05&end=2050-09-05&startTime=x`, {
      version: "2024-09-04",
    });
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error).toMatchObject({
      code: "BadRequestException",
      message: "startTime property is wrong,property startTime should not exist ",
    });
    expect(error!.details).toEqual({ message: error!.message, error: "Bad Request", statusCode: 400 });
  });
});

describe("§8.2 / §8.3: webhook timing and BOOKING_REQUESTED without reschedule fields", () => {
  it("with webhookBeforeAnswer the subscriber has the webhook when the API answers", async () => {
    await setSandboxFidelity(db, { webhookBeforeAnswer: true });
    const res = await create({
      start: berlin("2050-09-06", "09:00"),
      eventTypeId: fx.et(HERREN),
      attendee: attendee("Vorher Eins"),
    });
    const { data } = (await res.json()) as { data: { uid: string } };
    expect(hooks.received.some((h) => (h.json.payload as { uid?: string } | undefined)?.uid === data.uid)).toBe(true);
  });
});

describe("§8.4: request-reschedule", () => {
  it("exists only on 2026-02-25, cancels with requestReschedule:true, and the cancelled booking can still be rebooked", async () => {
    const { data } = (await (
      await create({
        start: berlin("2050-09-07", "09:00"),
        eventTypeId: fx.et(HERREN),
        attendee: attendee("Bitte Neu"),
      })
    ).json()) as { data: { uid: string } };
    expect(
      (await fx.call(`/v2/bookings/${data.uid}/request-reschedule`, { version: "2024-08-13", body: {} })).status,
    ).toBe(404);
    const asked = await fx.call(`/v2/bookings/${data.uid}/request-reschedule`, {
      version: "2026-02-25",
      body: { rescheduleReason: "Krank" },
    });
    expect(await asked.json()).toEqual({ status: "success" });
    const cancelled = await hooks.waitFor(
      (h) => h.json.triggerEvent === "BOOKING_CANCELLED" && (h.json.payload as { uid: string }).uid === data.uid,
    );
    expect(cancelled.json.payload).toMatchObject({
      requestReschedule: true,
      cancellationReason: "Krank",
      status: "CANCELLED",
    });
    const rebooked = await fx.call(`/v2/bookings/${data.uid}/reschedule`, {
      version: "2024-08-13",
      body: { start: berlin("2050-09-07", "11:00") },
    });
    expect(rebooked.status).toBe(201);
    const newUid = ((await rebooked.json()) as { data: { uid: string; rescheduledFromUid: string } }).data;
    expect(newUid.rescheduledFromUid).toBe(data.uid);
    const hook = await hooks.waitFor(
      (h) => h.json.triggerEvent === "BOOKING_RESCHEDULED" && (h.json.payload as { uid: string }).uid === newUid.uid,
    );
    expect(hook.json.payload).toMatchObject({ rescheduleUid: data.uid, status: "ACCEPTED" });
  });
});

describe("§8.5: MEETING_* built at booking time, sometimes unsigned", () => {
  it("sends the booking-time body (noShow false), without signature headers when set unsigned", async () => {
    await setSandboxFidelity(db, { meetingSignature: "unsigned" });
    const { data } = (await (
      await create({
        start: berlin("2050-09-08", "09:00"),
        eventTypeId: fx.et(HERREN),
        attendee: attendee("Treffen Eins"),
      })
    ).json()) as { data: { uid: string } };
    await fx.control("/webhooks/meeting", { body: { bookingUid: data.uid, trigger: "MEETING_ENDED" } });
    const hook = await hooks.waitFor((h) => h.json.triggerEvent === "MEETING_ENDED" && h.json.uid === data.uid);
    expect(hook.headers["x-cal-signature-256"]).toBeUndefined();
    expect(hook.headers["x-cal-webhook-version"]).toBeUndefined();
    expect(hook.json).not.toHaveProperty("payload");
    expect(hook.json.attendees).toEqual([
      expect.objectContaining({ email: "treffen.eins@example.com", noShow: false }),
    ]);
  });
});

describe("§8.6 / §8.7: access rules", () => {
  it("serves event types to hosts and admins, schedules to their owner; others get 403; the org route needs the admin API", async () => {
    const host = fx.tenant.staff[1]!;
    const hostKey = `cal_${randomBytes(16).toString("hex")}`;
    await db
      .insert(sandboxApiKeys)
      .values({ keyHash: hashApiKey(hostKey), userId: host.calcomUserId, label: "host", last4: hostKey.slice(-4) });
    expect((await fx.call(`/v2/event-types/${fx.et(HERREN)}`, { version: "2024-06-14", key: hostKey })).status).toBe(
      200,
    );
    const schedule = await fx.call(`/v2/schedules/${fx.et(HERREN)}`, { version: "2024-06-11", key: hostKey });
    expect(schedule.status).toBe(403);
    expect((await json(schedule)).error?.message).toBe(
      `User with id=${host.calcomUserId} does not own schedule with id=${fx.et(HERREN)}`,
    );
    // The team owner's key: an admin reads the schedule unless the owner-only rule is on.
    expect((await fx.call(`/v2/schedules/${fx.et(HERREN)}`, { version: "2024-06-11" })).status).toBe(200);
    await setSandboxFidelity(db, { scheduleOwnerOnly: true });
    expect((await fx.call(`/v2/schedules/${fx.et(HERREN)}`, { version: "2024-06-11" })).status).toBe(403);

    const orgFx = await createSandboxFixture(db, { organizationId: 778_001 });
    try {
      expect((await orgFx.call(`/v2/organizations/778001/teams/${orgFx.teamId}/event-types`)).status).toBe(200);
      await setSandboxFidelity(db, { orgAdminApi: false });
      const refused = await orgFx.call(`/v2/organizations/778001/teams/${orgFx.teamId}/event-types`);
      expect(refused.status).toBe(403);
      expect((await json(refused)).error?.message).toMatch(
        /^IsAdminAPIEnabledGuard - Organization with id=778001 does not have Admin API access/,
      );
    } finally {
      await orgFx.close();
    }
  });
});

describe("§8.8: managed, seated and recurring event types", () => {
  it("a managed parent offers no slots and cannot be booked; each host's child can", async () => {
    const slots = await fx.call(`/v2/slots?eventTypeId=${ids.managedParent}&start=2050-09-12&end=2050-09-12`, {
      version: "2024-09-04",
    });
    expect((await json(slots)).data).toEqual({});
    const parent = await create({
      start: berlin("2050-09-12", "09:00"),
      eventTypeId: ids.managedParent,
      attendee: attendee("Verwaltet"),
    });
    expect(parent.status).toBe(400);
    expect(ids.managedChildren.length).toBe(fx.tenant.staff.length);
    const child = await create({
      start: berlin("2050-09-12", "09:00"),
      eventTypeId: ids.managedChildren[0]!.id,
      attendee: attendee("Kind Eins"),
    });
    expect(child.status).toBe(201);
    expect(((await child.json()) as { data: { hosts: { id: number }[] } }).data.hosts[0]?.id).toBe(
      ids.managedChildren[0]!.hostUserId,
    );
  });

  it("a seated event type shares one booking per slot, one seatUid each, until the seats are full", async () => {
    const start = berlin("2050-09-13", "10:00");
    const uids = new Set<string>();
    const seats = new Set<string>();
    for (const n of [1, 2, 3]) {
      const res = await create({ start, eventTypeId: ids.seated, attendee: attendee(`Sitz ${n}`) });
      expect(res.status).toBe(201);
      const { data } = (await res.json()) as { data: { uid: string; seatUid: string } };
      uids.add(data.uid);
      seats.add(data.seatUid);
      if (n === 2) {
        const slots = (
          await json(
            await fx.call(`/v2/slots?eventTypeId=${ids.seated}&start=2050-09-13&end=2050-09-13&timeZone=UTC`, {
              version: "2024-09-04",
            }),
          )
        ).data as Record<string, { start: string; seatsBooked?: number; seatsRemaining?: number }[]>;
        expect(slots["2050-09-13"]?.find((s) => s.start === start)).toMatchObject({
          seatsBooked: 2,
          seatsRemaining: 1,
          seatsTotal: 3,
        });
      }
    }
    expect(uids.size).toBe(1);
    expect(seats.size).toBe(3);
    expect((await create({ start, eventTypeId: ids.seated, attendee: attendee("Sitz 4") })).status).toBe(409);
  });

  it("a recurring event type books the series as an array; GET of the series uid answers the array", async () => {
    const res = await create({
      start: berlin("2050-09-14", "09:00"),
      eventTypeId: ids.recurring,
      attendee: attendee("Serie"),
      recurrenceCount: 3,
    });
    expect(res.status).toBe(201);
    const { data } = (await res.json()) as { data: { uid: string; start: string; recurringBookingUid: string }[] };
    expect(data.map((b) => b.start)).toEqual([
      berlin("2050-09-14", "09:00"),
      berlin("2050-09-21", "09:00"),
      berlin("2050-09-28", "09:00"),
    ]);
    const series = data[0]!.recurringBookingUid;
    expect(new Set(data.map((b) => b.recurringBookingUid))).toEqual(new Set([series]));
    const got = (await json(await fx.call(`/v2/bookings/${series}`, { version: "2024-08-13" }))).data as {
      uid: string;
    }[];
    expect(got.map((b) => b.uid)).toEqual(data.map((b) => b.uid));
    const one = (await json(await fx.call(`/v2/bookings/${data[1]!.uid}`, { version: "2024-08-13" }))).data as {
      uid: string;
    };
    expect(one.uid).toBe(data[1]!.uid);
  });
});

describe("settings from the Sandbox panel", () => {
  it("applies the real-Cal.com preset and single switches, audited", async () => {
    const actor = { kind: "system", label: "fidelity-panel-it", role: "admin" } as const;
    expect(await updateSandboxFidelity(db, { input: { preset: "real-calcom" }, actor })).toEqual(REAL_CALCOM_FIDELITY);
    expect(await updateSandboxFidelity(db, { input: { orgAdminApi: true }, actor })).toEqual({
      ...REAL_CALCOM_FIDELITY,
      orgAdminApi: true,
    });
    const audits = await db.select().from(auditLog).where(eq(auditLog.actorLabel, "fidelity-panel-it"));
    expect(audits.map((a) => [a.action, a.details])).toEqual([
      ["sandbox.fidelity.update", { preset: "real-calcom" }],
      ["sandbox.fidelity.update", { orgAdminApi: true }],
    ]);
  });
});
