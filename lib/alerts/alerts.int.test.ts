import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alerts } from "@/drizzle/schema/alerts";
import { circuitBreakers, apiCalls } from "@/drizzle/schema/calcom";
import { auditLog, appointments, companies } from "@/drizzle/schema/core";
import type { Db } from "@/lib/db/types";
import { closeDb, getTestDb } from "@/test/db";
import { acknowledgeAlert, listAlerts } from "./alerts";
import { syncRuns } from "@/drizzle/schema/sync";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import { apiProbe, circuitProbe, evaluateAlerts, manualQueueProbe } from "./evaluate";
import { syncStaleProbe, webhookSilenceProbe } from "./freshness-probes";
import { notifyAlertOpened } from "./notify";
import { manualBookings, outboxMessages } from "@/drizzle/schema/booking";
import { updateAlertThresholds } from "./settings";

const admin = { kind: "system", label: "alerts-test", role: "admin" } as const;

async function company(db: Db): Promise<number> {
  const slug = `alerts-${randomBytes(4).toString("hex")}`;
  const [row] = await db.insert(companies).values({ name: slug, slug }).returning({ id: companies.id });
  return row!.id;
}

function calls(
  companyId: number,
  at: Date,
  n: number,
  opts: { failed?: number; ms?: number; cacheHits?: number } = {},
) {
  return Array.from({ length: n }, (_, i) => ({
    companyId,
    at: new Date(at.getTime() - i * 1000),
    family: "slots",
    method: "GET",
    pathTemplate: "/v2/slots",
    status: i < (opts.failed ?? 0) ? 500 : 200,
    calCode: i < (opts.failed ?? 0) ? "CAL-012" : null,
    durationMs: opts.ms ?? 100,
    breakerState: "closed" as const,
    isCacheHit: i >= n - (opts.cacheHits ?? 0),
  }));
}

/** A scheduled sync run of the company. */
async function scheduledSync(
  db: Db,
  companyId: number,
  run: Pick<typeof syncRuns.$inferInsert, "status" | "startedAt" | "finishedAt">,
) {
  await db.insert(syncRuns).values({ companyId, trigger: "schedule", actorLabel: "system", ...run });
}

/** A confirmed half-hour appointment: with bookings on the books, a quiet webhook feed is worth an alert. */
async function confirmedAppointment(db: Db, companyId: number, startsAt: Date, uid: string) {
  await db.insert(appointments).values({
    companyId,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 1_800_000),
    timeZone: "Europe/Berlin",
    status: "confirmed",
    calcomBookingUid: uid,
  });
}

async function active(db: Db, companyId: number) {
  return (await listAlerts(db, { companyId, status: "active", limit: 50 })).alerts
    .map((a) => `${a.kind}:${a.status}`)
    .sort();
}

describe("alerts", () => {
  let db: Db;
  beforeAll(async () => {
    db = await getTestDb();
  });
  afterAll(closeDb);

  it("opens a success-rate alert below 95 %, counts occurrences, and resolves it once the rate recovers", async () => {
    const id = await company(db);
    const now = new Date("2026-03-01T10:00:00Z");
    // 40 calls, 4 failed = 90 %; 10 cache hits that never reached Cal.com are not counted.
    await db.insert(apiCalls).values(calls(id, now, 50, { failed: 4, cacheHits: 10 }));
    const probes = [apiProbe];
    const first = await evaluateAlerts(db, { now, probes });
    expect(first.opened.filter((o) => o.companyId === id).map((o) => o.kind)).toEqual(["api_success_rate"]);
    const [row] = await db.select().from(alerts).where(eq(alerts.companyId, id));
    expect(row?.details).toMatchObject({ calls: 40, successRatePct: 90, thresholdPct: 95 });
    await evaluateAlerts(db, { now, probes });
    const [again] = await db.select().from(alerts).where(eq(alerts.companyId, id));
    expect(again?.occurrences).toBe(2);
    // 20 minutes later the failures are outside the 15-minute window; 30 healthy calls follow.
    const later = new Date(now.getTime() + 20 * 60_000);
    await db.insert(apiCalls).values(calls(id, later, 30));
    const after = await evaluateAlerts(db, { now: later, probes });
    expect(after.resolved).toBeGreaterThanOrEqual(1);
    expect(await active(db, id)).toEqual([]);
    const [resolved] = await db.select().from(alerts).where(eq(alerts.companyId, id));
    expect(resolved?.status).toBe("resolved");
  });

  it("ignores a rate over too few calls, and honours per-company thresholds", async () => {
    const id = await company(db);
    const now = new Date("2026-03-02T10:00:00Z");
    await db.insert(apiCalls).values(calls(id, now, 10, { failed: 5, ms: 1500 }));
    await evaluateAlerts(db, { now, probes: [apiProbe] });
    expect(await active(db, id)).toEqual([]);
    await updateAlertThresholds(db, { companyId: id, input: { minCalls: 5, avgLatencyMaxMs: 2000 }, actor: admin });
    await evaluateAlerts(db, { now, probes: [apiProbe] });
    // 50 % success opens the rate alert; 1500 ms is under this company's 2000 ms latency threshold.
    expect(await active(db, id)).toEqual(["api_success_rate:open"]);
    const audit = await db.select().from(auditLog).where(eq(auditLog.companyId, id));
    expect(audit.map((a) => a.action)).toContain("alerts.thresholds.update");
  });

  it("raises latency, circuit-open and manual-queue alerts, and acknowledgement is audited", async () => {
    const id = await company(db);
    const now = new Date();
    await db.insert(apiCalls).values(calls(id, now, 25, { ms: 1800 }));
    await db
      .insert(circuitBreakers)
      .values({ companyId: id, state: "open", openedAt: now, lastFailureCode: "CAL-012" });
    const queuedAt = new Date(now.getTime() - 45 * 60_000);
    const [waiting] = await db
      .insert(appointments)
      .values({
        companyId: id,
        startsAt: new Date(now.getTime() + 86_400_000),
        endsAt: new Date(now.getTime() + 90_000_000),
        timeZone: "Europe/Berlin",
        status: "requires_manual_booking",
        createdAt: queuedAt,
      })
      .returning();
    await db.insert(manualBookings).values({
      companyId: id,
      appointmentId: waiting!.id,
      reasonCode: "circuit_open",
      reason: "circuit open",
      createdAt: queuedAt,
    });
    await evaluateAlerts(db, { now, probes: [apiProbe, circuitProbe, manualQueueProbe] });
    expect(await active(db, id)).toEqual(["api_latency:open", "circuit_open:open", "manual_queue_age:open"]);
    const circuit = (await listAlerts(db, { companyId: id, status: "open", limit: 50 })).alerts.find(
      (a) => a.kind === "circuit_open",
    )!;
    await acknowledgeAlert(db, { id: circuit.id, actor: admin, note: "looking" });
    expect(await active(db, id)).toContain("circuit_open:acknowledged");
    const audit = await db.select().from(auditLog).where(eq(auditLog.companyId, id));
    expect(audit.find((a) => a.action === "alerts.acknowledge")?.reason).toBe("looking");
    // The circuit closes: the acknowledged alert resolves by itself.
    await db.update(circuitBreakers).set({ state: "closed" }).where(eq(circuitBreakers.companyId, id));
    await evaluateAlerts(db, { now, probes: [circuitProbe] });
    expect(await active(db, id)).not.toContain("circuit_open:acknowledged");
  });

  it("counts circuit trips in the last hour against the threshold", async () => {
    const id = await company(db);
    const now = new Date();
    const { circuitEvents } = await import("@/drizzle/schema/calcom");
    await db.insert(circuitEvents).values(
      Array.from({ length: 6 }, (_, i) => ({
        companyId: id,
        at: new Date(now.getTime() - i * 5 * 60_000),
        fromState: "closed" as const,
        toState: "open" as const,
        reason: "test",
      })),
    );
    await evaluateAlerts(db, { now, probes: [circuitProbe] });
    expect(await active(db, id)).toEqual(["circuit_trips:open"]);
  });

  it("raises sync staleness and webhook silence, and clears them when a sync succeeds and a verified delivery arrives", async () => {
    const id = await company(db);
    const now = new Date();
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
    // Installed two days ago: long enough for a sync and a delivery to have been expected.
    await db
      .update(companies)
      .set({ createdAt: hoursAgo(48) })
      .where(eq(companies.id, id));
    await scheduledSync(db, id, { status: "succeeded", startedAt: hoursAgo(3), finishedAt: hoursAgo(3) });
    await confirmedAppointment(db, id, now, `uid-${id}`);
    const probes = [syncStaleProbe, webhookSilenceProbe];
    await evaluateAlerts(db, { now, probes });
    expect(await active(db, id)).toEqual(["sync_stale:open", "webhook_silence:open"]);

    await scheduledSync(db, id, { status: "succeeded", startedAt: now, finishedAt: now });
    await db.insert(webhookDeliveries).values({
      receivedAt: now,
      companyId: id,
      headers: {},
      bodyBytes: 2,
      verdict: "verified",
      verdictDetail: "ok",
      verification: {},
      responseStatus: 200,
      status: "processed",
    });
    await evaluateAlerts(db, { now, probes });
    expect(await active(db, id)).toEqual([]);
  });

  it("sends a newly opened alert once through the outbox to the company's notify address", async () => {
    const id = await company(db);
    const now = new Date();
    await updateAlertThresholds(db, { companyId: id, input: { notifyEmail: "ops@salon.test" }, actor: admin });
    await db
      .insert(circuitBreakers)
      .values({ companyId: id, state: "open", openedAt: now, lastFailureCode: "CAL-012" });
    await evaluateAlerts(db, { now, probes: [circuitProbe], onOpened: notifyAlertOpened });
    await evaluateAlerts(db, { now, probes: [circuitProbe], onOpened: notifyAlertOpened });
    const sent = await db.select().from(outboxMessages).where(eq(outboxMessages.companyId, id));
    expect(sent.map((m) => [m.channel, m.recipient, m.topic])).toEqual([["email", "ops@salon.test", "alert.opened"]]);
    expect(sent[0]?.subject).toContain("Circuit open");
  });

  it("raises no silence or staleness alert on a fresh install, before a sync or a delivery could have happened", async () => {
    const id = await company(db);
    const now = new Date();
    await scheduledSync(db, id, { status: "running", startedAt: now });
    await confirmedAppointment(db, id, now, `fresh-${id}`);
    await evaluateAlerts(db, { now: new Date(now.getTime() + 60_000), probes: [syncStaleProbe, webhookSilenceProbe] });
    expect(await active(db, id)).toEqual([]);
    // Three hours on, the sync threshold (2 h) has passed without a success: now it is stale.
    await evaluateAlerts(db, {
      now: new Date(now.getTime() + 3 * 3_600_000),
      probes: [syncStaleProbe, webhookSilenceProbe],
    });
    expect(await active(db, id)).toEqual(["sync_stale:open"]);
  });

  it("says until when an operator holds the circuit open, in the company's zone", async () => {
    const id = await company(db);
    const now = new Date();
    await db.update(companies).set({ timeZone: "Europe/Berlin" }).where(eq(companies.id, id));
    await db.insert(circuitBreakers).values({
      companyId: id,
      state: "open",
      openedAt: now,
      lastFailureCode: "CAL-012",
      forcedOpenUntil: new Date("2099-01-05T10:30:00Z"),
    });
    await evaluateAlerts(db, { now, probes: [circuitProbe] });
    const [row] = await db.select().from(alerts).where(eq(alerts.companyId, id));
    expect(row).toMatchObject({
      kind: "circuit_open",
      severity: "critical",
      title: "Circuit held open by an operator",
    });
    expect(row?.message).toBe(
      "Held open by an operator until Mon 2099-01-05 11:30 CET (Europe/Berlin); Cal.com calls are refused and bookings go to the manual queue.",
    );
  });
});
