import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { apiCallCodeRollups, apiCallHourlyRollups, apiCallRollups } from "@/drizzle/schema/metrics";
import { queryRows, type DbOrTx } from "@/lib/db/types";
import {
  bookingPoints,
  shape,
  type AggRow,
  type ApiAll,
  type BookingPoint,
  EMPTY_AGG,
  type Scope,
} from "./api-metrics";
import { histogramQuantile, LATENCY_BUCKETS } from "./latency-histogram";

/**
 * The same figures as api-metrics.ts, read from the 5-minute call rollups (api_call_rollups, kept by triggers on
 * api_calls) instead of the raw log: counts are exact, p50/p95 come from the fixed latency histogram (exact to within
 * one histogram bucket). Windows of 24 h and more use these, so their cost grows with buckets, not with calls.
 * Scope bounds must fall on the grain's boundaries (windowBounds aligns them to the chart buckets).
 */
/** "5m": api_call_rollups; "1h": api_call_hourly_rollups (same columns, kept by the same triggers). */
export type RollupGrain = "5m" | "1h";
const tableOf = (grain: RollupGrain) => (grain === "1h" ? apiCallHourlyRollups : apiCallRollups);
const H = Array.from({ length: LATENCY_BUCKETS }, (_, i) => i);

function rollupWhere(r: ReturnType<typeof tableOf>, s: Pick<Scope, "from" | "to" | "companyId">): SQL {
  const company = s.companyId ? sql` and ${r.companyId} = ${s.companyId}` : sql``;
  return sql`${r.bucket} >= ${s.from.toISOString()}::timestamptz and ${r.bucket} < ${s.to.toISOString()}::timestamptz${company}`;
}

const sums = sql.raw(
  [
    "sum(calls)::int as calls, sum(failures)::int as failures, sum(unavailable)::int as unavailable",
    "sum(cache_hits)::int as cache_hits, sum(cacheable)::int as cacheable",
    "sum(latency_count)::int as latency_count, sum(latency_sum_ms)::float8 as latency_sum_ms",
    ...H.map((i) => `sum(h${i})::int as h${i}`),
  ].join(", "),
);

type SumRow = Omit<AggRow, "p50" | "p95" | "avg_ms"> & { latency_count: number; latency_sum_ms: number } & Record<
    `h${number}`,
    number
  >;

function toAgg(row: SumRow): AggRow {
  const counts = H.map((i) => Number(row[`h${i}`] ?? 0));
  const n = Number(row.latency_count);
  return {
    calls: Number(row.calls),
    failures: Number(row.failures),
    unavailable: Number(row.unavailable),
    cache_hits: Number(row.cache_hits),
    cacheable: Number(row.cacheable),
    p50: histogramQuantile(counts, 0.5),
    p95: histogramQuantile(counts, 0.95),
    avg_ms: n > 0 ? Number(row.latency_sum_ms) / n : null,
  };
}

/** Summary, buckets and families from the rollups in one GROUPING SETS query. */
export async function apiAllFromRollups(db: DbOrTx, s: Scope, grain: RollupGrain = "5m"): Promise<ApiAll> {
  const r = tableOf(grain);
  const rows = await queryRows<
    SumRow & { t: Date | string | null; family: string | null; g_t: number; g_family: number }
  >(
    db,
    // One hash aggregate per (chart bucket, family) first, then the grouping sets over those few rows: the 35 sums
    // run once per rollup row instead of once per grouping set.
    sql`select t, family, grouping(t)::int as g_t, grouping(family)::int as g_family, ${sums}
        from (select t, family, ${sums}
              from (select date_bin(${s.bucket}::interval, ${r.bucket}, ${s.from.toISOString()}::timestamptz) as t, ${r}.* from ${r} where ${rollupWhere(r, s)}) as x
              group by t, family) as y
        group by grouping sets ((), (t), (family))`,
  );
  const total = rows.find((x) => Number(x.g_t) === 1 && Number(x.g_family) === 1);
  const series = rows
    .filter((x) => Number(x.g_t) === 0)
    .map((x) => ({ t: new Date(x.t!).toISOString(), ...shape(toAgg(x)) }))
    .sort((a, b) => a.t.localeCompare(b.t));
  const families = rows
    .filter((x) => Number(x.g_family) === 0)
    .map((x) => ({ family: x.family!, ...shape(toAgg(x)) }))
    .sort((a, b) => b.calls - a.calls);
  return { summary: shape(total ? toAgg(total) : EMPTY_AGG), series, families };
}

/** Booking creation attempts and successes per bucket (POST /v2/bookings), from the rollups. */
export async function bookingSeriesFromRollups(
  db: DbOrTx,
  s: Scope,
  grain: RollupGrain = "5m",
): Promise<BookingPoint[]> {
  const r = tableOf(grain);
  return bookingPoints(
    db,
    sql`select date_bin(${s.bucket}::interval, ${r.bucket}, ${s.from.toISOString()}::timestamptz) as t,
          sum(${r.bookingCreates})::int as attempts, sum(${r.bookingCreated})::int as succeeded
        from ${r} where ${rollupWhere(r, s)} and ${r.family} = 'bookings' and ${r.bookingCreates} > 0
        group by 1 order by 1`,
  );
}

/**
 * Failed calls by company and CAL code since `from` (to the 5-minute bucket), newest failure per code: what the
 * overview tile and the CLI's health-check list as "errors in the last 24 h".
 */
export async function errorsByCode(
  db: DbOrTx,
  opts: { companyIds: number[]; from: Date },
): Promise<{ companyId: number; code: string; count: number; lastAt: string }[]> {
  if (!opts.companyIds.length) return [];
  const c = apiCallCodeRollups;
  const ids = sql.join(
    opts.companyIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const rows = await queryRows<{ company_id: number; code: string; n: number; last_at: Date | string }>(
    db,
    sql`select ${c.companyId} as company_id, ${c.calCode} as code, sum(${c.n})::int as n, max(${c.lastAt}) as last_at
        from ${c} where ${c.companyId} in (${ids}) and ${c.bucket} >= date_bin('5 minutes', ${opts.from.toISOString()}::timestamptz, timestamptz '1970-01-01 00:00:00+00')
        group by 1, 2 order by 3 desc, 2`,
  );
  return rows.map((x) => ({
    companyId: Number(x.company_id),
    code: x.code,
    count: Number(x.n),
    lastAt: new Date(x.last_at).toISOString(),
  }));
}
