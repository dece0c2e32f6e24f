import { bigint, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { companies } from "./core";

// 24 latency buckets h0..h23, bounds in lib/metrics/latency-histogram.ts (and in the rollup trigger's width_bucket).

function callRollupColumns() {
  const histogram = Object.fromEntries(
    Array.from({ length: 24 }, (_, i) => [`h${i}`, integer().notNull().default(0)]),
  ) as Record<`h${number}`, ReturnType<typeof integer>>;
  return {
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    bucket: timestamp({ withTimezone: true }).notNull(),
    family: text().notNull(),
    /** Real calls (cache hits excluded). */
    calls: integer().notNull().default(0),
    /** Real calls with a CAL code. */
    failures: integer().notNull().default(0),
    /** Real calls failed with CAL-012, CAL-005 or CAL-013 (Cal.com's fault, not the request's). */
    unavailable: integer().notNull().default(0),
    cacheHits: integer().notNull().default(0),
    /** GET of slots and event types, hits included (the cache hit rate's denominator). */
    cacheable: integer().notNull().default(0),
    /** POST /v2/bookings, and those without a CAL code. */
    bookingCreates: integer().notNull().default(0),
    bookingCreated: integer().notNull().default(0),
    /** Calls that went out (no cache hit, no CAL-013): count, sum and histogram of duration_ms. */
    latencyCount: integer().notNull().default(0),
    latencySumMs: bigint({ mode: "number" }).notNull().default(0),
    ...histogram,
    lastAt: timestamp({ withTimezone: true }),
  };
}

/**
 * The call log (api_calls) rolled up per company, endpoint family and 5-minute bucket. Maintained by statement-level
 * triggers on api_calls in the same transaction (insert adds, delete and retention subtract, truncate empties), so it
 * always equals an aggregate of the log; rebuild_api_call_rollups(from, to) recomputes a range after a restore.
 */
export const apiCallRollups = pgTable("api_call_rollups", callRollupColumns(), (t) => [
  primaryKey({ name: "api_call_rollups_pk", columns: [t.companyId, t.bucket, t.family] }),
  index("api_call_rollups_bucket").on(t.bucket),
]);

/** The same per hour (same triggers): the 7-day window reads 168 buckets instead of 2,016. */
export const apiCallHourlyRollups = pgTable("api_call_hourly_rollups", callRollupColumns(), (t) => [
  primaryKey({ name: "api_call_hourly_rollups_pk", columns: [t.companyId, t.bucket, t.family] }),
  index("api_call_hourly_rollups_bucket").on(t.bucket),
]);

/** Failed calls per company, endpoint family, 5-minute bucket and CAL code (same triggers as api_call_rollups). */
export const apiCallCodeRollups = pgTable(
  "api_call_code_rollups",
  {
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    bucket: timestamp({ withTimezone: true }).notNull(),
    family: text().notNull(),
    calCode: text().notNull(),
    n: integer().notNull().default(0),
    lastAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: "api_call_code_rollups_pk", columns: [t.companyId, t.bucket, t.family, t.calCode] }),
    index("api_call_code_rollups_bucket").on(t.bucket),
  ],
);

/**
 * Webhook deliveries per 5-minute bucket, company (0: no company), verdict and status, for the metrics series and the
 * Prometheus counters. Filled on read for settled buckets (lib/metrics/webhook-rollups.ts); triggers on
 * webhook_deliveries drop the buckets a write touches (a status change, retention, an import; a live delivery's INSERT
 * touches no settled bucket and calls none, migration 0023), so they are recomputed from the log on the next read.
 */
export const webhookDeliveryRollups = pgTable(
  "webhook_delivery_rollups",
  {
    bucket: timestamp({ withTimezone: true }).notNull(),
    companyId: integer().notNull(),
    verdict: text().notNull(),
    status: text().notNull(),
    received: integer().notNull(),
    /** Of those, failed or rejected (the series' failure line). */
    failed: integer().notNull(),
  },
  (t) => [primaryKey({ name: "webhook_delivery_rollups_pk", columns: [t.bucket, t.companyId, t.verdict, t.status] })],
);

/** The buckets webhook_delivery_rollups holds (a bucket with no delivery has no rollup row but is still settled). */
export const webhookRollupBuckets = pgTable("webhook_rollup_buckets", {
  bucket: timestamp({ withTimezone: true }).primaryKey(),
});

/**
 * One row: every settled bucket before `upto` that holds deliveries is materialized. The counters
 * (webhookCountsFromRollups) fill from here on instead of reading the whole log; the trigger moves it back to the
 * oldest bucket a write touches below it.
 */
export const webhookRollupWatermark = pgTable("webhook_rollup_watermark", {
  id: integer().primaryKey(),
  upto: timestamp({ withTimezone: true }).notNull(),
});
