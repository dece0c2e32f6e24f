import { bigint, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { companies } from "./core";

// 24 latency buckets, bounds in lib/metrics/latency-histogram.ts (and in the rollup trigger's width_bucket).
const histogram = Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`h${i}`, integer().notNull().default(0)])) as Record<`h${number}`, ReturnType<typeof integer>>;

/**
 * The call log (api_calls) rolled up per company, endpoint family and 5-minute bucket. Maintained by statement-level
 * triggers on api_calls in the same transaction (insert adds, delete and retention subtract, truncate empties), so it
 * always equals an aggregate of the log; rebuild_api_call_rollups(from, to) recomputes a range after a restore.
 */
export const apiCallRollups = pgTable(
  "api_call_rollups",
  {
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
  },
  (t) => [primaryKey({ name: "api_call_rollups_pk", columns: [t.companyId, t.bucket, t.family] }), index("api_call_rollups_bucket").on(t.bucket)],
);

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
  (t) => [primaryKey({ name: "api_call_code_rollups_pk", columns: [t.companyId, t.bucket, t.family, t.calCode] }), index("api_call_code_rollups_bucket").on(t.bucket)],
);
