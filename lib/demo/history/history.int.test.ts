import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alerts } from "@/drizzle/schema/alerts";
import { manualBookings } from "@/drizzle/schema/booking";
import { apiCalls, circuitEvents } from "@/drizzle/schema/calcom";
import { companies, services } from "@/drizzle/schema/core";
import { reconcileItems, reconcileRuns } from "@/drizzle/schema/reconcile";
import { syncRuns, syncServiceStates } from "@/drizzle/schema/sync";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import { resetEnvCache } from "@/lib/config/env";
import { closeDb, getDb } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { seedDemoWithSandbox } from "@/lib/demo/seed-with-sandbox";
import { getMetrics } from "@/lib/metrics/metrics";
import { zonedDateKey } from "@/lib/time/zoned";
import { createDatabase, dropDatabase } from "@/test/pg-admin";
import { FRISEUR, PRAXIS } from "../catalog";
import { generateDemoHistory, hasDemoHistory, type HistoryResult } from "./run";
import { allowSandboxWebhookOrigin } from "@/lib/calcom-sandbox/webhook-target";

// The demo week on a database of its own (the demo slugs are global): real code paths, the sandbox in-process.
let db: Db;
let url: string;
let result: HistoryResult;
let friseurId: number;
const now = new Date();
const lines: string[] = [];
const DAY = 86_400_000;

beforeAll(async () => {
  url = await createDatabase("calcomdiag_history");
  process.env.DATABASE_URL = url;
  process.env.APP_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  process.env.AUTH_SECRET ??= "test-auth-secret-test-auth-secret-1234";
  // The demo companies use the built-in sandbox, as in demo mode (with DATABASE_URL it must be switched on).
  process.env.CALCOM_SANDBOX_ENABLED = "true";
  resetEnvCache();
  await closeDb();
  db = await getDb();
  // The seeded subscriptions point at this (pretend) app; the sandbox delivers only to the app's own origin.
  allowSandboxWebhookOrigin("http://127.0.0.1:3999");
  await seedDemoWithSandbox(db, {
    actor: { kind: "system", label: "history.int.test", role: "admin" },
    appUrl: "http://127.0.0.1:3999",
  });
  result = await generateDemoHistory(db, { now, log: (l) => lines.push(l) });
  const [friseur] = await db.select().from(companies).where(eq(companies.slug, FRISEUR.slug));
  friseurId = friseur!.id;
}, 180_000);
afterAll(async () => {
  await closeDb();
  await dropDatabase(url);
});

describe("generateDemoHistory", () => {
  it("replays every step without an error and reports progress", () => {
    // The 60 s budget is measured, not asserted: on a machine shared by many test runs it says nothing (docs/demo.md).
    expect(result).toMatchObject({ status: "generated", errors: 0 });
    expect(result.steps).toBeGreaterThan(100);
    expect(lines.filter((l) => /\d+%/.test(l)).length).toBeGreaterThanOrEqual(9);
    expect(lines.at(-1)).toMatch(/done in/);
  });

  it("spreads Cal.com calls over each of the last 7 days, and the 7-day metrics show every day", async () => {
    const days = await db
      .selectDistinct({ day: sql<string>`to_char(${apiCalls.at} at time zone 'UTC', 'YYYY-MM-DD')` })
      .from(apiCalls)
      .where(sql`${apiCalls.at} > ${new Date(now.getTime() - 7 * DAY).toISOString()}::timestamptz`);
    const expected = Array.from({ length: 7 }, (_, i) =>
      new Date(now.getTime() - (i + 0.5) * DAY).toISOString().slice(0, 10),
    );
    expect(days.map((d) => d.day)).toEqual(expect.arrayContaining(expected));
    const metrics = await getMetrics(db, { window: "7d" }, now);
    const daysWithCalls = new Set(metrics.series.filter((b) => b.calls > 0).map((b) => b.t.slice(0, 10)));
    expect(daysWithCalls.size).toBeGreaterThanOrEqual(7);
    expect(metrics.summary.bookingAttempts).toBeGreaterThan(0);
    expect(metrics.summary.webhooksReceived).toBeGreaterThan(0);
    expect(metrics.summary.circuitTrips).toBeGreaterThanOrEqual(1);
  });

  it("the outage opened the circuit, queued bookings, closed again; recovery booked what was still free, a walk-in caused a conflict", async () => {
    const events = await db
      .select()
      .from(circuitEvents)
      .where(eq(circuitEvents.companyId, friseurId))
      .orderBy(asc(circuitEvents.id));
    const opened = events.findIndex((e) => e.toState === "open");
    expect(opened).toBeGreaterThanOrEqual(0);
    expect(events.slice(opened).some((e) => e.toState === "closed")).toBe(true);
    expect(zonedDateKey(events[opened]!.at, "Europe/Berlin")).toBe(
      zonedDateKey(new Date(now.getTime() - 5 * DAY), "Europe/Berlin"),
    );
    const queue = await db.select().from(manualBookings).where(eq(manualBookings.companyId, friseurId));
    expect(queue.length).toBeGreaterThanOrEqual(3);
    expect(queue.filter((m) => m.state === "booked").length).toBeGreaterThanOrEqual(1);
    expect(queue.filter((m) => m.state === "conflict").length).toBeGreaterThanOrEqual(1);
    expect(new Set(queue.map((m) => m.reasonCode))).toContain("circuit_open");
  });

  it("the empty event-type list was refused: aborted runs with their alert, then a successful run", async () => {
    const runs = await db.select().from(syncRuns).where(eq(syncRuns.companyId, friseurId)).orderBy(asc(syncRuns.id));
    const aborted = runs.filter((r) => r.status === "aborted");
    expect(aborted.length).toBeGreaterThanOrEqual(1);
    expect(aborted[0]!.reason).toMatch(/returned 0 event types/);
    expect(runs.at(-1)?.status).toBe("succeeded");
    const [alert] = await db
      .select()
      .from(alerts)
      .where(and(eq(alerts.companyId, friseurId), eq(alerts.kind, "sync_aborted")));
    expect(alert).toBeDefined();
    expect(alert!.openedAt.getTime()).toBeLessThan(now.getTime() - 2 * DAY);
  });

  it("the event type hidden in Cal.com was missed run after run until its service went to the review queue", async () => {
    const [row] = await db
      .select({ status: syncServiceStates.status, misses: syncServiceStates.missCount })
      .from(syncServiceStates)
      .innerJoin(services, eq(services.id, syncServiceStates.serviceId))
      .innerJoin(companies, eq(companies.id, services.companyId))
      .where(and(eq(companies.slug, PRAXIS.slug), eq(services.name, "Impfung")));
    expect(row).toMatchObject({ status: "pending_review" });
    expect(row!.misses).toBeGreaterThanOrEqual(3);
  });

  it("webhooks: verified ones, some by the previous secret during the rotation, and rejected ones", async () => {
    const rows = await db
      .select({ verdict: webhookDeliveries.verdict, n: sql<number>`count(*)::int` })
      .from(webhookDeliveries)
      .groupBy(webhookDeliveries.verdict);
    const by = Object.fromEntries(rows.map((r) => [r.verdict, r.n]));
    expect(by.verified).toBeGreaterThan(10);
    expect(by.verified_previous_secret).toBeGreaterThanOrEqual(1);
    expect(by.signature_mismatch).toBeGreaterThanOrEqual(2);
    expect(by.missing_signature).toBe(1);
    expect(by.unsupported_content_type).toBe(1);
    const [pending] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.status, "pending"));
    expect(pending!.n).toBe(0); // every accepted delivery was processed at its time
  });

  it("the nightly reconciliation found the drift made in Cal.com while the subscription was paused", async () => {
    const [run] = await db.select().from(reconcileRuns).where(eq(reconcileRuns.companyId, friseurId));
    expect(run?.status).toBe("completed");
    const items = await db
      .select()
      .from(reconcileItems)
      .where(and(eq(reconcileItems.runId, run!.id), inArray(reconcileItems.status, ["open"])));
    expect(items.length).toBeGreaterThanOrEqual(1);
  });

  it("runs once per database: a second call is skipped", async () => {
    expect(await hasDemoHistory(db)).toBe(true);
    expect(await generateDemoHistory(db, { now })).toMatchObject({ status: "skipped", reason: "already generated" });
  });
});
