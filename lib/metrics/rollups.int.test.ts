import { randomBytes } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { apiCalls } from "@/drizzle/schema/calcom";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import { companies } from "@/drizzle/schema/core";
import { apiCallHourlyRollups, apiCallRollups, webhookRollupWatermark } from "@/drizzle/schema/metrics";
import { apiCallLiveTotals } from "@/drizzle/schema/ops";
import { queryRows } from "@/lib/db/types";
import { BUCKETS_SQL, STATUS_LABEL_SQL } from "@/lib/prometheus/call-totals";
import type { Db } from "@/lib/db/types";
import { getTestDb } from "@/test/db";
import { apiAll, bookingSeries, type ApiAggregate } from "./api-metrics";
import { bucketOf, bucketRange } from "./latency-histogram";
import { getMetrics } from "./metrics";
import { webhookSeries } from "./ops-metrics";
import { errorsByCode } from "./rollup-metrics";
import { webhookCountsFromRollups } from "./webhook-rollups";
import { windowBounds } from "./windows";

// The rollups against the raw log on known rows: counts equal, percentiles inside the histogram bucket of the exact
// value, and they stay equal through deletes (retention) and a rebuild.
let db: Db;
let companyId: number;
// In the past: an INSERT drops its settled bucket only when the row is older than the database's clock by 5 minutes
// (migration 0023), as every row is when the application's clock and the database's agree.
const NOW = new Date("2026-05-20T12:02:00Z");
const FAMILIES = ["slots", "bookings", "eventTypes"] as const;
const CODES = [null, null, null, null, null, null, "CAL-012", "CAL-003", "CAL-013", null] as const;

beforeAll(async () => {
  db = await getTestDb();
  const slug = `rollups-${randomBytes(4).toString("hex")}`;
  const [c] = await db.insert(companies).values({ name: slug, slug }).returning();
  companyId = c!.id;
  // 2,000 calls over the last 7 days, deterministic spread of families, codes, cache hits and latencies; inserted
  // in one multi-row statement (a bulk import) and a few single rows (the client's path).
  const rows = Array.from({ length: 2000 }, (_, i) => {
    const family = FAMILIES[i % 3]!;
    const isBookingCreate = family === "bookings" && i % 2 === 0;
    return {
      companyId,
      at: new Date(NOW.getTime() - ((i * 7919) % (7 * 86_400)) * 1000),
      family,
      method: isBookingCreate ? "POST" : "GET",
      pathTemplate: family === "bookings" ? "/v2/bookings" : `/v2/${family}`,
      status: 200,
      durationMs: Math.round(Math.exp(((i * 37) % 100) / 12)),
      calCode: CODES[i % CODES.length] ?? null,
      breakerState: "closed" as const,
      isCacheHit: !isBookingCreate && i % 5 === 0 && CODES[i % CODES.length] === null,
    };
  });
  await db.insert(apiCalls).values(rows.slice(0, 1990));
  for (const row of rows.slice(1990)) await db.insert(apiCalls).values(row);
  // 600 webhook deliveries over the 7 days, every 7th failed or rejected, some still pending.
  await db.insert(webhookDeliveries).values(
    Array.from({ length: 600 }, (_, i) => ({
      companyId,
      receivedAt: new Date(NOW.getTime() - ((i * 1009) % (7 * 86_400)) * 1000),
      headers: {},
      bodyBytes: 2,
      verdict: "verified" as const,
      verdictDetail: "ok",
      verification: {},
      responseStatus: 202,
      status:
        i % 7 === 0
          ? ("failed" as const)
          : i % 11 === 0
            ? ("rejected" as const)
            : i % 5 === 0
              ? ("pending" as const)
              : ("processed" as const),
    })),
  );
});

async function compareWebhooks(window: "24h" | "7d") {
  const m = await getMetrics(db, { window, companyId }, NOW);
  const { from, to } = windowBounds(window, NOW);
  const raw = await webhookSeries(db, { from, to, companyId, bucket: window === "24h" ? "1 hour" : "6 hours" });
  expect(m.webhooks.filter((w) => w.received > 0)).toEqual(raw);
  return m.summary.webhooksReceived;
}

const counts = (a: ApiAggregate) => ({
  calls: a.calls,
  failures: a.failures,
  successRate: a.successRate,
  availability: a.availability,
  cacheHitRate: a.cacheHitRate,
});

/** The durations percentile_cont sees (calls that went out), sorted. */
async function latencies(from: Date, to: Date, family?: string): Promise<number[]> {
  const rows = await db
    .select({ d: apiCalls.durationMs })
    .from(apiCalls)
    .where(
      and(
        eq(apiCalls.companyId, companyId),
        sql`${apiCalls.at} >= ${from.toISOString()}::timestamptz and ${apiCalls.at} < ${to.toISOString()}::timestamptz`,
        sql`not ${apiCalls.isCacheHit} and ${apiCalls.calCode} is distinct from 'CAL-013'`,
        family ? eq(apiCalls.family, family) : undefined,
      ),
    )
    .orderBy(apiCalls.durationMs);
  return rows.map((r) => r.d);
}

/** The histogram's resolution: the estimate lies in the bucket of the order statistic at rank floor(q (n - 1)). */
function expectWithinResolution(rolled: number | null, sorted: number[], q: number) {
  const [lo, hi] = bucketRange(bucketOf(sorted[Math.floor(q * (sorted.length - 1))]!));
  expect(rolled).toBeGreaterThanOrEqual(lo);
  expect(rolled).toBeLessThanOrEqual(Math.max(hi, lo));
}

async function expectSameAggregate(rolled: ApiAggregate, exact: ApiAggregate, from: Date, to: Date, family?: string) {
  expect(counts(rolled)).toEqual(counts(exact));
  expect(rolled.avgMs).toBe(exact.avgMs);
  const sorted = await latencies(from, to, family);
  expectWithinResolution(rolled.p50Ms, sorted, 0.5);
  expectWithinResolution(rolled.p95Ms, sorted, 0.95);
}

async function compareWindow(window: "24h" | "7d") {
  const m = await getMetrics(db, { window, companyId }, NOW);
  expect(m.source).toBe("rollups");
  const { from, to } = windowBounds(window, NOW);
  const scope = { from, to, companyId, bucket: window === "24h" ? "1 hour" : "6 hours" };
  const raw = await apiAll(db, scope);
  expect(raw.summary.calls).toBeGreaterThan(100);
  await expectSameAggregate(m.summary, raw.summary, from, to);
  expect(m.families.map((f) => f.family)).toEqual(raw.families.map((f) => f.family));
  for (const [i, f] of m.families.entries()) await expectSameAggregate(f, raw.families[i]!, from, to, f.family);
  const rawSeries = new Map(raw.series.map((b) => [b.t, counts(b)]));
  for (const b of m.series.filter((x) => x.calls > 0)) expect(counts(b)).toEqual(rawSeries.get(b.t));
  expect(m.series.reduce((n, b) => n + b.calls, 0)).toBe(raw.summary.calls);
  const rawBookings = await bookingSeries(db, scope);
  expect(
    m.bookings.filter((b) => b.attempts > 0).map(({ t, attempts, succeeded }) => ({ t, attempts, succeeded })),
  ).toEqual(rawBookings);
}

async function rawErrors(from: Date) {
  const rows = await db
    .select({ code: apiCalls.calCode, n: sql<number>`count(*)::int` })
    .from(apiCalls)
    .where(
      and(
        eq(apiCalls.companyId, companyId),
        sql`${apiCalls.at} >= date_bin('5 minutes', ${from.toISOString()}::timestamptz, timestamptz '1970-01-01 00:00:00+00')`,
        sql`${apiCalls.calCode} is not null`,
      ),
    )
    .groupBy(apiCalls.calCode);
  return Object.fromEntries(rows.map((r) => [r.code, Number(r.n)]));
}

describe("call rollups", () => {
  it("answer the 24 h and 7 d windows like the raw log, within the histogram's resolution", async () => {
    await compareWindow("24h");
    await compareWindow("7d");
  });

  it("count webhook deliveries like the raw log, also after processing, reprocessing and retention change settled buckets", async () => {
    expect(await compareWebhooks("24h")).toBeGreaterThan(50);
    const before = await compareWebhooks("7d");
    expect(before).toBeGreaterThan(500);
    // A settled delivery is processed (pending -> failed) and an old one is pruned: the touched buckets are recomputed.
    const [old] = await db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.companyId, companyId), eq(webhookDeliveries.status, "pending")))
      .limit(1);
    await db.update(webhookDeliveries).set({ status: "failed" }).where(eq(webhookDeliveries.id, old!.id));
    await db
      .delete(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.companyId, companyId),
          lt(webhookDeliveries.receivedAt, new Date(NOW.getTime() - 5 * 86_400_000)),
        ),
      );
    await compareWebhooks("24h");
    expect(await compareWebhooks("7d")).toBeLessThan(before);
  });

  it("count failures by CAL code like the raw log", async () => {
    const from = new Date(NOW.getTime() - 86_400_000);
    const rolled = await errorsByCode(db, { companyIds: [companyId], from });
    expect(Object.fromEntries(rolled.map((e) => [e.code, e.count]))).toEqual(await rawErrors(from));
  });

  it("stay equal to the log when retention deletes old calls", async () => {
    await db
      .delete(apiCalls)
      .where(
        and(eq(apiCalls.companyId, companyId), lt(apiCalls.at, new Date(NOW.getTime() - 3 * 86_400_000 - 123_000))),
      );
    await compareWindow("7d");
    const [neg] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(apiCallRollups)
      .where(
        and(
          eq(apiCallRollups.companyId, companyId),
          sql`${apiCallRollups.calls} < 0 or ${apiCallRollups.calls} + ${apiCallRollups.cacheHits} = 0`,
        ),
      );
    expect(neg!.n).toBe(0);
  });

  it("are recomputed by rebuild_api_call_rollups after the rollups were lost (a restore without triggers)", async () => {
    const before = await getMetrics(db, { window: "7d", companyId }, NOW);
    await db.delete(apiCallRollups).where(eq(apiCallRollups.companyId, companyId));
    await db.delete(apiCallHourlyRollups).where(eq(apiCallHourlyRollups.companyId, companyId));
    expect((await getMetrics(db, { window: "7d", companyId }, NOW)).summary.calls).toBe(0);
    await db.execute(
      sql`select rebuild_api_call_rollups(${new Date(NOW.getTime() - 8 * 86_400_000).toISOString()}::timestamptz, ${NOW.toISOString()}::timestamptz + interval '1 hour')`,
    );
    expect(await getMetrics(db, { window: "7d", companyId }, NOW)).toEqual(before);
  });

  it("keep the Prometheus call totals equal to the log through inserts, an update and deletes, and rebuild them", async () => {
    const live = async () =>
      (
        await db
          .select({
            family: apiCallLiveTotals.family,
            status: apiCallLiveTotals.status,
            calls: apiCallLiveTotals.calls,
            durationMsSum: apiCallLiveTotals.durationMsSum,
            buckets: apiCallLiveTotals.buckets,
          })
          .from(apiCallLiveTotals)
          .where(eq(apiCallLiveTotals.companyId, companyId))
      )
        .map((r) => ({ ...r, buckets: r.buckets.map(Number) }))
        .sort((a, b) => `${a.family}|${a.status}`.localeCompare(`${b.family}|${b.status}`));
    const raw = async () =>
      (
        await queryRows<{ family: string; status: string; calls: string; sum: string; buckets: number[] }>(
          db,
          sql`select family, ${STATUS_LABEL_SQL} as status, count(*) as calls, coalesce(sum(duration_ms), 0) as sum, ${BUCKETS_SQL} as buckets
              from api_calls where company_id = ${companyId} group by 1, 2`,
        )
      )
        .map((r) => ({
          family: r.family,
          status: r.status,
          calls: Number(r.calls),
          durationMsSum: Number(r.sum),
          buckets: r.buckets.map(Number),
        }))
        .sort((a, b) => `${a.family}|${a.status}`.localeCompare(`${b.family}|${b.status}`));
    const before = await live();
    expect(before.map((t) => t.status)).toEqual(expect.arrayContaining(["200", "cache", "circuit_open"]));
    expect(before).toEqual(await raw());
    // A call's answer rewritten (an UPDATE moves it between statuses), then retention deletes a day's calls.
    const [one] = await db
      .select({ id: apiCalls.id })
      .from(apiCalls)
      .where(and(eq(apiCalls.companyId, companyId), eq(apiCalls.isCacheHit, false), eq(apiCalls.status, 200)))
      .limit(1);
    await db.update(apiCalls).set({ status: 503, durationMs: 7_000 }).where(eq(apiCalls.id, one!.id));
    await db
      .delete(apiCalls)
      .where(and(eq(apiCalls.companyId, companyId), lt(apiCalls.at, new Date(NOW.getTime() - 2 * 86_400_000))));
    const after = await live();
    expect(after.find((t) => t.status === "503")?.calls).toBe(1);
    expect(after.reduce((n, t) => n + t.calls, 0)).toBeLessThan(before.reduce((n, t) => n + t.calls, 0));
    expect(after).toEqual(await raw());
    // Lost (a restore with triggers off) and rebuilt from the log.
    await db.delete(apiCallLiveTotals).where(eq(apiCallLiveTotals.companyId, companyId));
    await db.execute(sql`select rebuild_api_call_live_totals()`);
    expect(await live()).toEqual(after);
  });

  it("count deliveries per verdict and status like the raw log for Prometheus, also after old buckets change", async () => {
    const ours = async (now: Date) =>
      Object.fromEntries(
        (await webhookCountsFromRollups(db, now))
          .filter((c) => c.company_id === companyId)
          .map((c) => [`${c.verdict}|${c.status}`, c.n]),
      );
    const raw = async () =>
      Object.fromEntries(
        (
          await queryRows<{ verdict: string; status: string; n: string }>(
            db,
            sql`select verdict, status, count(*) as n from webhook_deliveries where company_id = ${companyId} group by 1, 2`,
          )
        ).map((r) => [`${r.verdict}|${r.status}`, Number(r.n)]),
      );
    const expected = await raw();
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(["verified|processed", "verified|pending"]));
    expect(await ours(NOW)).toEqual(expected);
    // Read again (from the rollups now), then a settled delivery changes status, one old delivery is deleted and one is
    // imported into a bucket that held none: each moves the watermark back, and the next scrape counts them.
    expect(await ours(NOW)).toEqual(expected);
    const [settled] = await db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.companyId, companyId),
          eq(webhookDeliveries.status, "processed"),
          lt(webhookDeliveries.receivedAt, new Date(NOW.getTime() - 86_400_000)),
        ),
      )
      .limit(1);
    await db.update(webhookDeliveries).set({ status: "ignored" }).where(eq(webhookDeliveries.id, settled!.id));
    const [gone] = await db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.companyId, companyId), eq(webhookDeliveries.status, "processed")))
      .orderBy(webhookDeliveries.receivedAt)
      .limit(1);
    await db.delete(webhookDeliveries).where(eq(webhookDeliveries.id, gone!.id));
    await db.insert(webhookDeliveries).values({
      companyId,
      receivedAt: new Date(NOW.getTime() - 30 * 86_400_000),
      headers: {},
      bodyBytes: 2,
      verdict: "signature_mismatch",
      verdictDetail: "imported",
      verification: {},
      responseStatus: 401,
      status: "rejected",
    });
    const changed = await raw();
    expect(changed["verified|ignored"]).toBe((expected["verified|ignored"] ?? 0) + 1);
    expect(changed["signature_mismatch|rejected"]).toBe(1);
    expect(await ours(NOW)).toEqual(changed);
  });

  it("move the watermark back to the oldest bucket of a multi-row import, live rows in it or not", async () => {
    const watermark = async () =>
      new Date((await db.select().from(webhookRollupWatermark).where(eq(webhookRollupWatermark.id, 1)))[0]!.upto);
    const row = (receivedAt: Date) => ({
      companyId,
      receivedAt,
      headers: {},
      bodyBytes: 2,
      verdict: "signature_mismatch" as const,
      verdictDetail: "imported",
      verification: {},
      responseStatus: 401,
      status: "rejected" as const,
    });
    // Filled up to ten to fifteen minutes ago (this test's clock is the database's).
    await webhookCountsFromRollups(db);
    expect((await watermark()).getTime()).toBeGreaterThan(Date.now() - 20 * 60_000);
    // One statement: a live row (no trigger call, migration 0023) and two older ones, each below the watermark.
    const older = [new Date(Date.now() - 16 * 60_000), new Date(Date.now() - 3 * 3_600_000)];
    await db.insert(webhookDeliveries).values([row(new Date()), ...older.map(row)]);
    expect(await watermark()).toEqual(new Date(Math.floor(older[1]!.getTime() / 300_000) * 300_000));
    const counted = (await webhookCountsFromRollups(db)).find(
      (c) => c.company_id === companyId && c.verdict === "signature_mismatch",
    );
    const [raw] = await queryRows<{ n: string }>(
      db,
      sql`select count(*) as n from webhook_deliveries where company_id = ${companyId} and verdict = 'signature_mismatch'`,
    );
    expect(counted?.n).toBe(Number(raw!.n));
  });
});
