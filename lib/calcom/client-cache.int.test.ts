import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiCache, apiCalls, rateLimitBuckets } from "@/drizzle/schema/calcom";
import { sandboxEventTypes } from "@/drizzle/schema/sandbox";
import { resetSandbox } from "@/lib/calcom-sandbox/control";
import { setSandboxFaults } from "@/lib/calcom-sandbox/faults";
import { setSandboxRateLimit } from "@/lib/calcom-sandbox/rate-limit";
import { keyUserFor } from "@/lib/calcom-sandbox/seed-catalog";
import { berlin, createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import type { Db } from "@/lib/db/types";
import { getTestDb } from "@/test/db";
import { addSandboxKey, breakerRow, callRows, createTestCompany, thrown, upstreamCount } from "./client-test-helpers";
import {
  cancelBooking,
  createBooking,
  getBooking,
  getMe,
  getSlots,
  listTeamEventTypes,
  rescheduleBooking,
} from "./endpoints";
import { CalcomError } from "./errors";
import { getCalcomHealth, getCalcomHealthDetails } from "./health";
import { rateLimitKey } from "./rate-limiter";
import { testConnection } from "./test-connection";

// Read cache and coalescing, Cal.com's rate-limit headers, the call log, test-connection and health, over real HTTP.
let db: Db;
let fx: SandboxFixture;
const HERREN = 3757770;
const actor = { kind: "system", label: "client-it", role: "admin" } as const;

const attendee = (name: string) => ({
  name,
  email: `${name.replace(/\s/g, ".").toLowerCase()}@example.com`,
  timeZone: "Europe/Berlin",
});
const at = (date: string, time: string) => new Date(berlin(date, time));
const dayWindow = (date: string) => ({
  eventTypeId: fx.et(HERREN),
  start: at(date, "00:00"),
  end: at(date, "23:59"),
  timeZone: "Europe/Berlin",
});
const starts = (slots: Record<string, { start: string }[]>) =>
  Object.values(slots).flatMap((day) => day.map((s) => new Date(s.start).toISOString()));

async function calcomError(fn: () => unknown): Promise<CalcomError> {
  const error = await thrown(fn);
  expect(error).toBeInstanceOf(CalcomError);
  return error as CalcomError;
}

async function bucket(apiKey: string, baseUrl: string) {
  const [row] = await db
    .select()
    .from(rateLimitBuckets)
    .where(eq(rateLimitBuckets.key, rateLimitKey(apiKey, baseUrl)));
  return row!;
}

const secondsAhead = (date: Date | null) => ((date?.getTime() ?? 0) - Date.now()) / 1000;

beforeAll(async () => {
  db = await getTestDb();
  fx = await createSandboxFixture(db);
  // One host for this file's copy of Herrenhaarschnitt, so that one booking takes a start (no round robin).
  await db
    .update(sandboxEventTypes)
    .set({ hostUserIds: [fx.tenant.staff[0]!.calcomUserId] })
    .where(eq(sandboxEventTypes.id, fx.et(HERREN)));
});
afterEach(async () => {
  await resetSandbox(db);
});
afterAll(async () => {
  await fx?.close();
});

describe("cache and coalescing", () => {
  it("coalesces 100 concurrent identical getSlots into one upstream request, then answers from the cache", async () => {
    const { http, companyId } = await createTestCompany(db, { fx });
    const window = dayWindow("2050-11-21");
    const before = await upstreamCount(db, "slots");
    const results = await Promise.all(Array.from({ length: 100 }, () => getSlots(http, window)));
    expect(await upstreamCount(db, "slots")).toBe(before + 1);
    expect(results.filter((r) => !r.isCacheHit)).toHaveLength(1);
    expect(starts(results[0]!.data)).toHaveLength(18);
    for (const r of results) expect(r.data).toEqual(results[0]!.data);

    const again = await getSlots(http, window);
    expect(again.isCacheHit).toBe(true);
    expect(again.data).toEqual(results[0]!.data);
    expect(await upstreamCount(db, "slots")).toBe(before + 1);
    const rows = await callRows(db, companyId);
    expect(rows.filter((r) => !r.isCacheHit)).toEqual([
      expect.objectContaining({ family: "slots", pathTemplate: "/v2/slots", status: 200 }),
    ]);
    expect(rows.filter((r) => r.isCacheHit)).toHaveLength(100);
    const [entry] = await db
      .select()
      .from(apiCache)
      .where(and(eq(apiCache.companyId, companyId), eq(apiCache.scope, `slots:${fx.et(HERREN)}`)));
    expect(secondsAhead(entry!.expiresAt)).toBeGreaterThan(50);
    expect(secondsAhead(entry!.expiresAt)).toBeLessThanOrEqual(60);
  }, 30_000);

  it("create, reschedule and cancel invalidate the event type's slots, so the next read goes upstream", async () => {
    const { http } = await createTestCompany(db, { fx });
    const day = "2050-11-22";
    const nine = berlin(day, "09:00");
    const ten = berlin(day, "10:00");
    const read = async () => {
      const before = await upstreamCount(db, "slots");
      const r = await getSlots(http, dayWindow(day));
      return {
        isCacheHit: r.isCacheHit,
        upstream: (await upstreamCount(db, "slots")) - before,
        starts: starts(r.data),
      };
    };
    expect(await read()).toMatchObject({ isCacheHit: false, upstream: 1, starts: expect.arrayContaining([nine, ten]) });
    expect(await read()).toMatchObject({ isCacheHit: true, upstream: 0 });

    const booked = await createBooking(http, {
      eventTypeId: fx.et(HERREN),
      start: new Date(nine),
      attendee: attendee("Cache Kunde"),
    });
    const afterCreate = await read();
    expect(afterCreate).toMatchObject({ isCacheHit: false, upstream: 1 });
    expect(afterCreate.starts).not.toContain(nine);
    expect(await read()).toMatchObject({ isCacheHit: true, upstream: 0 });

    const moved = await rescheduleBooking(http, booked.data.uid, { start: new Date(ten) });
    const afterReschedule = await read();
    expect(afterReschedule).toMatchObject({ isCacheHit: false, upstream: 1 });
    expect(afterReschedule.starts).toContain(nine);
    expect(afterReschedule.starts).not.toContain(ten);

    await cancelBooking(http, moved.data.uid);
    const afterCancel = await read();
    expect(afterCancel).toMatchObject({ isCacheHit: false, upstream: 1 });
    expect(afterCancel.starts).toEqual(expect.arrayContaining([nine, ten]));
  });
});

describe("rate limits", () => {
  it("keeps Cal.com's X-RateLimit-*-Default headers in the key's bucket", async () => {
    const apiKey = await addSandboxKey(db, fx);
    const { http } = await createTestCompany(db, { fx, apiKey });
    await getMe(http);
    const first = await bucket(apiKey, http.target.baseUrl);
    expect(first).toMatchObject({ upstreamLimit: 120, upstreamRemaining: 119, blockedUntil: null });
    expect(secondsAhead(first.upstreamResetAt)).toBeGreaterThan(50);
    expect(secondsAhead(first.upstreamResetAt)).toBeLessThanOrEqual(61);
    await getMe(http);
    expect(await bucket(apiKey, http.target.baseUrl)).toMatchObject({ upstreamLimit: 120, upstreamRemaining: 118 });
  });

  it("a 429 is CAL-005 and blocks the key ~60 s; the next call is refused locally without reaching Cal.com", async () => {
    const apiKey = await addSandboxKey(db, fx);
    const { http, companyId } = await createTestCompany(db, { fx, apiKey });
    await setSandboxRateLimit(db, { limit: 2 });
    // Another instance using the same key has spent the window.
    for (let i = 0; i < 2; i++) expect((await fx.call("/v2/me", { key: apiKey })).status).toBe(200);
    const before = await upstreamCount(db, "me");
    expect(await calcomError(() => getMe(http))).toMatchObject({
      calCode: "CAL-005",
      status: 429,
      isBreakerFailure: true,
    });
    expect(await upstreamCount(db, "me")).toBe(before + 1); // the retry waits for the block, so it is not sent
    const blocked = await bucket(apiKey, http.target.baseUrl);
    expect(blocked).toMatchObject({ upstreamLimit: 2, upstreamRemaining: 0 });
    expect(secondsAhead(blocked.blockedUntil)).toBeGreaterThan(55);
    expect(secondsAhead(blocked.blockedUntil)).toBeLessThanOrEqual(61);

    expect(await calcomError(() => getMe(http))).toMatchObject({
      calCode: "CAL-005",
      status: 429,
      details: { local: true },
    });
    expect(await upstreamCount(db, "me")).toBe(before + 1);
    expect((await callRows(db, companyId)).map((r) => [r.status, r.calCode])).toEqual([
      [429, "CAL-005"],
      [429, "CAL-005"],
    ]);
    // Local refusals never asked Cal.com, so they say nothing about its health: only the real 429 counts.
    for (let i = 0; i < 5; i++) await calcomError(() => getMe(http));
    expect(await breakerRow(db, companyId)).toMatchObject({ state: "closed", consecutiveFailures: 1 });
  });
});

describe("call log", () => {
  it("records each call by family, method, path template, status, duration, CAL code and breaker state, never the key", async () => {
    const { http, companyId, apiKey } = await createTestCompany(db, { fx });
    const me = await getMe(http);
    await listTeamEventTypes(http, { bypassCache: true });
    const b = await createBooking(http, {
      eventTypeId: fx.et(HERREN),
      start: at("2050-11-23", "09:00"),
      attendee: attendee("Log Kunde"),
    });
    await getBooking(http, b.data.uid);
    await cancelBooking(http, b.data.uid, { cancellationReason: "Termin passt nicht" });
    await calcomError(() => getBooking(http, "unknownBookingUid1"));
    const rows = await callRows(db, companyId);
    expect(
      rows.map((r) => [r.family, r.method, r.pathTemplate, r.status, r.calCode, r.breakerState, r.isCacheHit]),
    ).toEqual([
      ["me", "GET", "/v2/me", 200, null, "closed", false],
      ["eventTypes", "GET", "/v2/teams/{teamId}/event-types", 200, null, "closed", false],
      ["bookings", "POST", "/v2/bookings", 201, null, "closed", false],
      ["bookings", "GET", "/v2/bookings/{uid}", 200, null, "closed", false],
      ["bookings", "POST", "/v2/bookings/{uid}/cancel", 200, null, "closed", false],
      ["bookings", "GET", "/v2/bookings/{uid}", 404, "CAL-011", "closed", false],
    ]);
    for (const r of rows) expect(Number.isInteger(r.durationMs) && r.durationMs >= 0).toBe(true);
    expect(rows.at(-1)?.error).toBe("Booking with uid=unknownBookingUid1 was not found in the database");

    expect(me.exchange.request.headers.authorization).toBe(`Bearer cal_…${apiKey.slice(-4)}`);
    expect(JSON.stringify(me.exchange)).not.toContain(apiKey.slice(4));
    // No key of any test, in any recorded call.
    const everything = JSON.stringify(await db.select().from(apiCalls));
    expect(everything).not.toContain(apiKey.slice(4));
    expect(everything).not.toMatch(/cal_(test|live)_[0-9a-f]{8}/);
  });
});

describe("test connection and health", () => {
  it("testConnection reports me and team access, and CAL-001 once the key is revoked", async () => {
    const { companyId } = await createTestCompany(db, { fx });
    const healthy = await testConnection(db, { companyId, actor });
    const keyUser = keyUserFor(fx.tenant);
    expect(healthy).toMatchObject({
      companyId,
      isSandbox: false,
      me: { ok: true, value: { id: keyUser.id, email: keyUser.email } },
      teamAccess: { ok: true, value: { teamId: fx.teamId, eventTypes: 45 } },
    });
    await setSandboxFaults(db, { revokedKeys: true });
    const revoked = await testConnection(db, { companyId, actor });
    expect(revoked.me).toMatchObject({ ok: false, error: { calCode: "CAL-001", status: 401 } });
  });

  it("getCalcomHealth reports the company down while its breaker is open", async () => {
    const { http, name } = await createTestCompany(db, { fx });
    await setSandboxFaults(db, { families: { bookings: { forceStatus: 503 } } });
    for (let i = 0; i < 5; i++) {
      await calcomError(() =>
        createBooking(http, {
          eventTypeId: fx.et(HERREN),
          start: at("2050-11-24", "09:00"),
          attendee: attendee("Health Kunde"),
        }),
      );
    }
    const health = await getCalcomHealthDetails(db);
    expect(health.companies.find((c) => c.company === name)).toMatchObject({
      circuit_breaker: "open",
      status: "down",
      success_rate: 0,
    });
    expect(health).toMatchObject({ circuit_breaker: "open", status: expect.stringMatching(/^(degraded|down)$/) });
    // Anonymous callers see counts, never company names.
    const anonymous = await getCalcomHealth(db);
    expect(anonymous.counts.down).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(anonymous)).not.toContain(name);
  });
});
