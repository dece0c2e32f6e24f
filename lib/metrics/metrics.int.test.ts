import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { manualBookings } from "@/drizzle/schema/booking";
import { apiCalls, circuitEvents } from "@/drizzle/schema/calcom";
import { appointments, companies } from "@/drizzle/schema/core";
import { syncRuns } from "@/drizzle/schema/sync";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import type { Db } from "@/lib/db/types";
import { getTestDb } from "@/test/db";
import { getMetrics } from "./metrics";

// The metrics math on known rows: rates, percentiles, trips, state bands and the other capabilities' series.
let db: Db;
let companyId: number;
const NOW = new Date("2031-03-10T12:30:00Z");
const at = (hhmm: string) => new Date(`2031-03-10T${hhmm}:00Z`);

beforeAll(async () => {
  db = await getTestDb();
  const slug = `metrics-${randomBytes(4).toString("hex")}`;
  const [c] = await db.insert(companies).values({ name: slug, slug }).returning();
  companyId = c!.id;
  const call = (o: Partial<typeof apiCalls.$inferInsert>) => ({
    companyId,
    at: at("12:20"),
    family: "slots",
    method: "GET",
    pathTemplate: "/v2/slots",
    status: 200,
    durationMs: 100,
    breakerState: "closed" as const,
    ...o,
  });
  await db.insert(apiCalls).values([
    ...Array.from({ length: 10 }, (_, i) => call({ durationMs: (i + 1) * 100 })),
    ...Array.from({ length: 5 }, () => call({ durationMs: 1, isCacheHit: true })),
    call({ family: "bookings", method: "POST", pathTemplate: "/v2/bookings", status: 201, durationMs: 500 }),
    call({
      family: "bookings",
      method: "POST",
      pathTemplate: "/v2/bookings",
      status: 400,
      durationMs: 300,
      calCode: "CAL-003",
    }),
    call({ family: "bookings", pathTemplate: "/v2/bookings", status: 503, durationMs: 2000, calCode: "CAL-012" }),
    call({
      family: "bookings",
      pathTemplate: "/v2/bookings",
      status: null,
      durationMs: 0,
      calCode: "CAL-013",
      breakerState: "open",
    }),
    // Outside the 1 h window: only the 24 h window sees it.
    call({ at: at("09:00"), durationMs: 50 }),
  ]);
  const ev = (hhmm: string, fromState: "closed" | "open" | "half_open", toState: "closed" | "open" | "half_open") => ({
    companyId,
    at: at(hhmm),
    fromState,
    toState,
    reason: "test",
  });
  await db
    .insert(circuitEvents)
    .values([
      ev("10:00", "open", "closed"),
      ev("12:01", "closed", "open"),
      ev("12:02", "open", "half_open"),
      ev("12:03", "half_open", "open"),
      ev("12:04", "open", "half_open"),
      ev("12:05", "half_open", "closed"),
    ]);
  const delivery = (status: "processed" | "rejected" | "failed") => ({
    companyId,
    receivedAt: at("12:10"),
    headers: {},
    bodyBytes: 2,
    verdict: "verified" as const,
    verdictDetail: "ok",
    verification: {},
    responseStatus: 200,
    status,
  });
  await db
    .insert(webhookDeliveries)
    .values([delivery("processed"), delivery("processed"), delivery("rejected"), delivery("failed")]);
  await db.insert(syncRuns).values([
    { companyId, trigger: "schedule", actorLabel: "t", status: "succeeded", startedAt: at("12:00") },
    { companyId, trigger: "schedule", actorLabel: "t", status: "failed", startedAt: at("12:15") },
  ]);
  const appts = await db
    .insert(appointments)
    .values(
      [0, 1].map(() => ({
        companyId,
        startsAt: at("15:00"),
        endsAt: at("15:30"),
        timeZone: "Europe/Berlin",
        status: "requires_manual_booking" as const,
      })),
    )
    .returning();
  await db.insert(manualBookings).values([
    { companyId, appointmentId: appts[0]!.id, reasonCode: "circuit_open", reason: "open", createdAt: at("11:30") },
    {
      companyId,
      appointmentId: appts[1]!.id,
      reasonCode: "circuit_open",
      reason: "open",
      state: "booked",
      createdAt: at("10:00"),
    },
  ]);
});

describe("getMetrics", () => {
  it("computes success rate, availability, latency percentiles and cache hit rate over the window", async () => {
    const m = await getMetrics(db, { window: "1h", companyId }, NOW);
    expect(m).toMatchObject({ from: "2031-03-10T11:35:00.000Z", to: "2031-03-10T12:35:00.000Z", bucketSeconds: 300 });
    // 14 real calls (cache hits excluded); CAL-003, CAL-012 and CAL-013 failed; only 012/013 count against availability.
    expect(m.summary).toMatchObject({
      calls: 14,
      failures: 3,
      successRate: 11 / 14,
      availability: 12 / 14,
      cacheHitRate: 5 / 15,
      bookingAttempts: 2,
      bookingSuccessRate: 0.5,
    });
    // 13 latencies (the open-circuit refusal is not a latency): 100..1000, 300, 500, 2000.
    expect(m.summary.p50Ms).toBe(500);
    expect(m.summary.p95Ms).toBeCloseTo(1400, 6);
    expect(m.summary.avgMs).toBe(Math.round(8300 / 13));
  });

  it("fills every bucket and puts the calls in theirs", async () => {
    const m = await getMetrics(db, { window: "1h", companyId }, NOW);
    expect(m.series).toHaveLength(12);
    expect(m.series.filter((b) => b.calls > 0)).toEqual([
      expect.objectContaining({ t: "2031-03-10T12:20:00.000Z", calls: 14 }),
    ]);
    expect(m.series[0]).toMatchObject({ calls: 0, successRate: null });
    expect(m.families.map((f) => [f.family, f.calls])).toEqual([
      ["slots", 10],
      ["bookings", 4],
    ]);
  });

  it("counts circuit trips per hour and draws the state bands", async () => {
    const m = await getMetrics(db, { window: "1h", companyId }, NOW);
    expect(m.summary).toMatchObject({ circuitTrips: 2, maxCircuitTripsPerHour: 2 });
    expect(m.circuit.bands.map((b) => [b.from.slice(11, 16), b.to.slice(11, 16), b.state])).toEqual([
      ["11:35", "12:01", "closed"],
      ["12:01", "12:02", "open"],
      ["12:02", "12:03", "half_open"],
      ["12:03", "12:04", "open"],
      ["12:04", "12:05", "half_open"],
      ["12:05", "12:30", "closed"],
    ]);
  });

  it("adds webhook, sync and manual-queue series", async () => {
    const m = await getMetrics(db, { window: "1h", companyId }, NOW);
    expect(m.summary).toMatchObject({
      webhooksReceived: 4,
      webhookFailures: 2,
      syncRuns: 2,
      syncFailures: 1,
      manualQueueSize: 1,
      manualQueueOldestAgeSeconds: 3600,
    });
  });

  it("a wider window sees older calls", async () => {
    const m = await getMetrics(db, { window: "24h", companyId }, NOW);
    expect(m.summary.calls).toBe(15);
    expect(m.series).toHaveLength(24);
  });
});
