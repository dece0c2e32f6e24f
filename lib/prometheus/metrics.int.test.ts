import { and, count, eq, isNull, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/metrics/route";
import { apiCalls } from "@/drizzle/schema/calcom";
import { raiseAlert } from "@/lib/alerts/alerts";
import { getAvailability } from "@/lib/booking/availability";
import { bookAppointment } from "@/lib/booking/book";
import { createBookingCompany, futureWeekday } from "@/lib/booking/test-helpers";
import { pruneApiCalls } from "@/lib/calcom/call-log";
import { forceOpenCircuit } from "@/lib/calcom/breaker";
import { resetSandbox } from "@/lib/calcom-sandbox/control";
import { setSandboxFaults } from "@/lib/calcom-sandbox/faults";
import { createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import { resetEnvCache } from "@/lib/config/env";
import type { Db } from "@/lib/db/types";
import { addWebhookSecret } from "@/lib/watchdog/test-helpers";
import { bookingBody, post } from "@/lib/webhooks/test-helpers";
import { closeDb, getTestDb } from "@/test/db";
import { LATENCY_BUCKETS_MS } from "./call-totals";
import { renderMetrics } from "./scrape";

// GET /api/metrics scraped through its route handler: values come from what the booking flow, the webhook receiver and
// the alerts really wrote to PostgreSQL; counters survive the call log's retention.
const TOKEN = "metrics-it-token-0123456789abcdef";
const actor = { kind: "system", label: "metrics-it", role: "admin" } as const;
let db: Db;
let fx: SandboxFixture;
let co: Awaited<ReturnType<typeof createBookingCompany>>;

type Line = { name: string; labels: Record<string, string>; value: number };
function parse(text: string): Line[] {
  return text.split("\n").flatMap((line) => {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) return [];
    const labels = Object.fromEntries(
      [...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]),
    );
    return [{ name: m[1]!, labels, value: Number(m[3]) }];
  });
}
const pick = (lines: Line[], name: string, labels: Record<string, string>) =>
  lines.filter((l) => l.name === name && Object.entries(labels).every(([k, v]) => l.labels[k] === v));
const scrape = async (authorization?: string) =>
  GET(new NextRequest("http://127.0.0.1/api/metrics", { headers: authorization ? { authorization } : {} }));

beforeAll(async () => {
  db = await getTestDb();
  process.env.METRICS_TOKEN = TOKEN;
  resetEnvCache();
  fx = await createSandboxFixture(db);
  co = await createBookingCompany(db, fx);
});
afterAll(async () => {
  delete process.env.METRICS_TOKEN;
  resetEnvCache();
  await resetSandbox(db);
  await fx?.close();
  await closeDb();
});

describe("GET /api/metrics", () => {
  it("refuses a scrape without the token", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape("Bearer not-the-token")).status).toBe(401);
  });

  it("reports Cal.com calls, latency, breaker, webhooks, manual queue and alerts from the database", async () => {
    const slug = co.company.slug;
    const start = futureWeekday(11, "10:00");
    await getAvailability(db, {
      companyId: co.company.id,
      service: "Herrenhaarschnitt",
      date: new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(start),
    });
    expect(
      (
        await bookAppointment(db, {
          companyId: co.company.id,
          service: "Herrenhaarschnitt",
          start: start.toISOString(),
          attendee: { name: "Metrics", email: "metrics@example.com", timeZone: "Europe/Berlin" },
        })
      ).outcome,
    ).toBe("booked");
    await setSandboxFaults(db, { families: { bookings: { forceStatus: 503 } } });
    const queued = await bookAppointment(db, {
      companyId: co.company.id,
      service: "Herrenhaarschnitt",
      start: futureWeekday(11, "11:00").toISOString(),
      attendee: { name: "Queued", email: "queued@example.com", timeZone: "Europe/Berlin" },
    });
    expect(queued.outcome).toBe("manual");
    await resetSandbox(db);
    await addWebhookSecret(db, co.company.id, "whsec_metrics_it_0001");
    expect((await post(bookingBody("BOOKING_CREATED"), { slug, secret: "whsec_metrics_it_0001" })).status).toBe(200);
    expect((await post(bookingBody("BOOKING_CREATED"), { slug, header: "" })).status).toBe(401);
    await raiseAlert(db, {
      companyId: co.company.id,
      kind: "metrics_it",
      severity: "warning",
      title: "Metrics test",
      message: "open",
    });

    // The first successful scrape of this run (the route shares one reading for a few seconds).
    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    expect(text).toContain("# TYPE calcom_api_calls_total counter");
    expect(text).toContain("# TYPE calcom_api_call_duration_seconds histogram");
    const lines = parse(text);

    // Every recorded call is counted under its family and status.
    const recorded = await db
      .select({
        family: apiCalls.family,
        status: sql<string>`case when ${apiCalls.isCacheHit} then 'cache' else coalesce(${apiCalls.status}::text, 'none') end`,
        n: count(),
      })
      .from(apiCalls)
      .where(eq(apiCalls.companyId, co.company.id))
      .groupBy(sql`1`, sql`2`);
    expect(recorded.find((r) => r.family === "bookings" && r.status === "503")?.n).toBe(1);
    for (const r of recorded)
      expect(
        pick(lines, "calcom_api_calls_total", { company: slug, family: r.family, status: r.status }).map(
          (l) => l.value,
        ),
      ).toEqual([r.n]);
    const [uncached] = await db
      .select({ n: count() })
      .from(apiCalls)
      .where(
        and(
          eq(apiCalls.companyId, co.company.id),
          eq(apiCalls.family, "slots"),
          eq(apiCalls.isCacheHit, false),
          isNull(apiCalls.calCode),
        ),
      );
    const slotBuckets = pick(lines, "calcom_api_call_duration_seconds_bucket", { company: slug, family: "slots" });
    expect(slotBuckets.map((b) => b.labels.le)).toEqual([...LATENCY_BUCKETS_MS.map((b) => String(b / 1000)), "+Inf"]);
    expect(slotBuckets.at(-1)!.value).toBe(uncached!.n);
    expect(slotBuckets.map((b) => b.value)).toEqual([...slotBuckets.map((b) => b.value)].sort((a, b) => a - b));
    expect(pick(lines, "calcom_api_call_duration_seconds_count", { company: slug, family: "slots" })[0]!.value).toBe(
      uncached!.n,
    );

    expect(
      pick(lines, "calcom_circuit_breaker_state", { company: slug }).map((l) => [l.labels.state, l.value]),
    ).toEqual([
      ["closed", 1],
      ["half_open", 0],
      ["open", 0],
    ]);
    expect(
      pick(lines, "calcom_webhook_deliveries_total", { company: slug, verdict: "verified" }).map((l) => l.value),
    ).toEqual([1]);
    expect(
      pick(lines, "calcom_webhook_deliveries_total", {
        company: slug,
        verdict: "missing_signature",
        status: "rejected",
      }).map((l) => l.value),
    ).toEqual([1]);
    expect(pick(lines, "calcom_webhook_pending", { company: slug }).map((l) => l.value)).toEqual([1]);
    expect(
      pick(lines, "calcom_webhook_oldest_pending_age_seconds", { company: slug })[0]!.value,
    ).toBeGreaterThanOrEqual(0);
    expect(pick(lines, "calcom_manual_queue_depth", { company: slug }).map((l) => l.value)).toEqual([1]);
    expect(pick(lines, "calcom_manual_queue_oldest_age_seconds", { company: slug })[0]!.value).toBeGreaterThan(0);
    expect(
      pick(lines, "calcom_alerts_open", { company: slug, kind: "metrics_it", severity: "warning" }).map((l) => l.value),
    ).toEqual([1]);

    await forceOpenCircuit(db, {
      companyId: co.company.id,
      reason: "metrics test",
      until: new Date(Date.now() + 60_000).toISOString(),
      actor,
    });
    const opened = parse((await renderMetrics(db, { bypassCache: true })).text);
    expect(pick(opened, "calcom_circuit_breaker_state", { company: slug, state: "open" }).map((l) => l.value)).toEqual([
      1,
    ]);
  });

  it("keeps the call counters and the histogram when retention deletes the rows", async () => {
    const slug = co.company.slug;
    const before = parse((await renderMetrics(db, { bypassCache: true })).text).filter(
      (l) => l.labels.company === slug && l.name.startsWith("calcom_api_call"),
    );
    expect(before.length).toBeGreaterThan(0);
    await pruneApiCalls(db, 0);
    const [left] = await db.select({ n: count() }).from(apiCalls).where(eq(apiCalls.companyId, co.company.id));
    expect(left!.n).toBe(0);
    const after = parse((await renderMetrics(db, { bypassCache: true })).text).filter(
      (l) => l.labels.company === slug && l.name.startsWith("calcom_api_call"),
    );
    const key = (l: Line) => `${l.name}${JSON.stringify(l.labels)}`;
    expect(after.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      before.sort((a, b) => key(a).localeCompare(key(b))),
    );
  });
});
