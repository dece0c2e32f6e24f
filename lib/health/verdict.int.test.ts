import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { apiCalls, circuitBreakers } from "@/drizzle/schema/calcom";
import { appointments, companies } from "@/drizzle/schema/core";
import { manualBookings } from "@/drizzle/schema/booking";
import { listAlerts } from "@/lib/alerts/alerts";
import { apiProbe, circuitProbe, evaluateAlerts, manualQueueProbe } from "@/lib/alerts/evaluate";
import { updateAlertThresholds } from "@/lib/alerts/settings";
import { getCalcomHealthDetails } from "@/lib/calcom/health";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/types";
import { getHealthReport } from "@/lib/metrics/health-report";
import { getOverview } from "@/lib/overview/overview";
import { getTestDb } from "@/test/db";

// One verdict per company from its own thresholds: the overview, the health route, the CLI's report and the alert
// evaluator agree on known rows.
const admin = { kind: "system", label: "verdict-test", role: "admin" } as const;
let db: Db;

async function company(values: Partial<typeof companies.$inferInsert> = {}): Promise<{ id: number; name: string }> {
  const slug = `verdict-${randomBytes(4).toString("hex")}`;
  const [row] = await db
    .insert(companies)
    .values({ name: slug, slug, ...values })
    .returning();
  return { id: row!.id, name: row!.name };
}

function calls(companyId: number, now: Date, n: number, opts: { failed: number; ms: number }) {
  return Array.from({ length: n }, (_, i) => ({
    companyId,
    at: new Date(now.getTime() - (i + 1) * 1000),
    family: "slots",
    method: "GET",
    pathTemplate: "/v2/slots",
    status: i < opts.failed ? 500 : 200,
    calCode: i < opts.failed ? "CAL-012" : null,
    durationMs: opts.ms,
    breakerState: "closed" as const,
  }));
}

async function everyView(id: number, name: string, now: Date) {
  const [tile] = await getOverview(db, { companyId: id, now });
  const report = await getHealthReport(db, { companyId: id, now });
  const route = (await getCalcomHealthDetails(db, { now })).companies.find((c) => c.company === name);
  return { tile: tile!, report: report.companies[0]!, route: route! };
}

beforeAll(async () => {
  db = await getTestDb();
});

describe("health verdict", () => {
  it("is healthy with no breached rule, the same in every view", async () => {
    const { id, name } = await company();
    const now = new Date();
    await db.insert(apiCalls).values(calls(id, now, 30, { failed: 0, ms: 120 }));
    const v = await everyView(id, name, now);
    expect(v.tile.verdict).toEqual({ status: "healthy", reasons: [] });
    expect(v.tile.health).toBe("ok");
    expect(v.report).toMatchObject({ status: "healthy", reasons: [] });
    expect(v.route).toMatchObject({ status: "healthy", reasons: [], success_rate: 1, window_minutes: 15 });
  });

  it("follows the company's own thresholds, and the alert evaluator opens the same conditions", async () => {
    const { id, name } = await company();
    const now = new Date();
    // 40 calls in the window, 6 failed (85 %), 700 ms each: under the default latency limit (1000 ms) but over this
    // company's 600 ms, and below its 90 % success rate.
    await db.insert(apiCalls).values(calls(id, now, 40, { failed: 6, ms: 700 }));
    await updateAlertThresholds(db, {
      companyId: id,
      input: { successRateMinPct: 90, avgLatencyMaxMs: 600, minCalls: 10 },
      actor: admin,
    });
    const v = await everyView(id, name, now);
    expect(v.tile.verdict.status).toBe("degraded");
    expect(v.tile.verdict.reasons.map((r) => [r.rule, r.severity])).toEqual([
      ["api_success_rate", "warning"],
      ["api_latency", "warning"],
    ]);
    expect(v.tile.verdict.reasons[0]!.message).toBe("85% of 40 calls succeeded in the last 15 min (threshold 90%).");
    expect(v.tile.api).toMatchObject({ calls: 40, successRatePct: 85, avgMs: 700, health: "warning" });
    expect(v.report).toMatchObject({ status: "degraded", reasons: v.tile.verdict.reasons });
    expect(v.route).toMatchObject({ status: "degraded", reasons: v.tile.verdict.reasons, success_rate: 0.85 });
    await evaluateAlerts(db, { now, probes: [apiProbe, circuitProbe, manualQueueProbe] });
    const open = (await listAlerts(db, { companyId: id, status: "active", limit: 50 })).alerts;
    expect(open.map((a) => a.kind).sort()).toEqual(v.tile.verdict.reasons.map((r) => r.rule).sort());
    expect(open.find((a) => a.kind === "api_success_rate")!.message).toBe(v.tile.verdict.reasons[0]!.message);
  });

  it("is down when the circuit is open; a queue past its threshold and webhook silence while bookings exist add reasons", async () => {
    const { id, name } = await company();
    const now = new Date();
    // Silence counts from the company's creation (a fresh install is not silent): this one is three days old.
    await db
      .update(companies)
      .set({ createdAt: new Date(now.getTime() - 3 * 86_400_000) })
      .where(eq(companies.id, id));
    await db
      .insert(circuitBreakers)
      .values({ companyId: id, state: "open", openedAt: now, lastFailureCode: "CAL-012" });
    await updateAlertThresholds(db, { companyId: id, input: { manualQueueMaxAgeMinutes: 10 }, actor: admin });
    const queuedAt = new Date(now.getTime() - 20 * 60_000);
    const [appt] = await db
      .insert(appointments)
      .values({
        companyId: id,
        startsAt: new Date(now.getTime() + 86_400_000),
        endsAt: new Date(now.getTime() + 88_200_000),
        timeZone: "Europe/Berlin",
        status: "requires_manual_booking",
      })
      .returning();
    await db.insert(manualBookings).values({
      companyId: id,
      appointmentId: appt!.id,
      reasonCode: "circuit_open",
      reason: "open",
      createdAt: queuedAt,
    });
    const v = await everyView(id, name, now);
    expect(v.tile.verdict.status).toBe("down");
    expect(v.tile.verdict.reasons.map((r) => [r.rule, r.severity])).toEqual([
      ["circuit_open", "critical"],
      ["manual_queue_age", "warning"],
      ["webhook_silence", "warning"],
    ]);
    expect(v.tile).toMatchObject({
      health: "critical",
      circuit: { health: "critical" },
      manualQueue: { waiting: 1, oldestAgeMinutes: 20, health: "warning" },
    });
    expect(v.report.status).toBe("down");
    expect(v.route.status).toBe("down");
    await evaluateAlerts(db, { now });
    const open = (await listAlerts(db, { companyId: id, status: "active", limit: 50 })).alerts;
    expect(open.map((a) => `${a.kind}:${a.severity}`).sort()).toEqual([
      "circuit_open:critical",
      "manual_queue_age:warning",
      "webhook_silence:warning",
    ]);
  });

  it("is not_configured for a company with a Cal.com URL but no key", async () => {
    const { id, name } = await company({ calcomApiUrl: "https://cal.example.test/v2" });
    const v = await everyView(id, name, new Date());
    expect(v.tile.verdict).toEqual({ status: "not_configured", reasons: [] });
    expect(v.route.status).toBe("not_configured");
    const withKey = await company({
      calcomApiUrl: "https://cal.example.test/v2",
      calcomApiKeyEnc: encryptSecret("cal_test_verdict_key"),
    });
    expect((await everyView(withKey.id, withKey.name, new Date())).tile.verdict.status).toBe("healthy");
  });
});
