import "server-only";
import { DEFAULT_THRESHOLDS, getAlertThresholds } from "@/lib/alerts/settings";
import * as clock from "@/lib/time/clock";
import type { DbOrTx } from "@/lib/db/types";
import { assessWindow } from "@/lib/health/verdict";
import { apiAll, bookingSeries, circuitBands, circuitTrips, type ApiAggregate, type Scope } from "./api-metrics";
import { manualQueue, syncSeries, webhookSeries } from "./ops-metrics";
import { apiAllFromRollups, bookingSeriesFromRollups } from "./rollup-metrics";
import { webhookSeriesFromRollups } from "./webhook-rollups";
import { METRIC_WINDOWS, metricsQuerySchema, rate, windowBounds, type MetricsQuery } from "./windows";

/** Fills buckets with no rows, so every chart has the window's full x axis. */
function fill<T extends { t: string }>(buckets: Date[], rows: T[], empty: (t: string) => T): T[] {
  const byT = new Map(rows.map((r) => [r.t, r]));
  return buckets.map((b) => byT.get(b.toISOString()) ?? empty(b.toISOString()));
}

const emptyApi = (t: string): ApiAggregate & { t: string } => ({
  t,
  calls: 0,
  failures: 0,
  successRate: null,
  availability: null,
  p50Ms: null,
  p95Ms: null,
  avgMs: null,
  cacheHitRate: null,
});

/**
 * Everything the Metrics panel, GET /api/admin/calcom/metrics and the CLI show for one window (1 h, 24 h, 7 d),
 * for one company or all. Each series is one GROUP BY in PostgreSQL; nothing is aggregated in JavaScript.
 */
export async function getMetrics(db: DbOrTx, query: MetricsQuery, now = clock.now()) {
  const q = metricsQuerySchema.parse(query);
  const { from, to, bucketMs, buckets } = windowBounds(q.window, now);
  const scope: Scope = { from, to, companyId: q.companyId, bucket: METRIC_WINDOWS[q.window].bucket };
  // Sequential on purpose: a tool connection through the embedded database's socket is a single connection.
  const w = METRIC_WINDOWS[q.window];
  const fromRollups = w.source === "rollups";
  const grain = "grain" in w ? w.grain : "5m";
  const { summary, series, families } = fromRollups
    ? await apiAllFromRollups(db, scope, grain)
    : await apiAll(db, scope);
  const trips = await circuitTrips(db, scope);
  const bands = await circuitBands(db, scope, now);
  const bookings = fromRollups ? await bookingSeriesFromRollups(db, scope, grain) : await bookingSeries(db, scope);
  const webhooks = fromRollups ? await webhookSeriesFromRollups(db, scope, now) : await webhookSeries(db, scope);
  const sync = await syncSeries(db, scope);
  const queue = await manualQueue(db, { companyId: q.companyId, now });
  // The company's own thresholds (all companies: the defaults), so the panel marks figures by the verdict's rules.
  const {
    notifyEmail: _e,
    notifyWebhookUrl: _w,
    ...thresholds
  } = q.companyId ? await getAlertThresholds(db, q.companyId) : DEFAULT_THRESHOLDS;
  const bookingAttempts = bookings.reduce((n, b) => n + b.attempts, 0);
  const bookingSucceeded = bookings.reduce((n, b) => n + b.succeeded, 0);
  const webhookReceived = webhooks.reduce((n, w) => n + w.received, 0);
  const webhookFailed = webhooks.reduce((n, w) => n + w.failed, 0);
  return {
    window: q.window,
    companyId: q.companyId ?? null,
    from: from.toISOString(),
    to: to.toISOString(),
    bucketSeconds: bucketMs / 1000,
    /** "log": exact percentiles from the raw call log; "rollups": from the 5-minute latency histogram. */
    source: METRIC_WINDOWS[q.window].source,
    summary: {
      ...summary,
      circuitTrips: trips.total,
      maxCircuitTripsPerHour: trips.maxPerHour,
      bookingAttempts,
      bookingSuccessRate: rate(bookingSucceeded, bookingAttempts),
      webhooksReceived: webhookReceived,
      webhookFailures: webhookFailed,
      syncRuns: sync.reduce((n, x) => n + x.runs, 0),
      syncFailures: sync.reduce((n, x) => n + x.failed, 0),
      manualQueueSize: queue.size,
      manualQueueOldestAgeSeconds: queue.oldestAgeSeconds,
    },
    thresholds,
    assessment: assessWindow(thresholds, {
      successRate: summary.successRate,
      avgMs: summary.avgMs,
      maxCircuitTripsPerHour: trips.maxPerHour,
    }),
    series: fill(buckets, series, emptyApi),
    families,
    circuit: { trips: fill(buckets, trips.series, (t) => ({ t, trips: 0 })), bands },
    bookings: fill(buckets, bookings, (t) => ({ t, attempts: 0, succeeded: 0 })).map((b) => ({
      ...b,
      successRate: rate(b.succeeded, b.attempts),
    })),
    webhooks: fill(buckets, webhooks, (t) => ({ t, received: 0, failed: 0 })),
    sync: fill(buckets, sync, (t) => ({ t, runs: 0, failed: 0 })),
  };
}
export type MetricsResult = Awaited<ReturnType<typeof getMetrics>>;
