import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { apiCalls, circuitEvents } from "@/drizzle/schema/calcom";
import { queryRows, type DbOrTx } from "@/lib/db/types";
import { rate } from "./windows";

/**
 * Cal.com call metrics, aggregated in PostgreSQL over api_calls (range scan on api_calls_at / api_calls_company_at):
 * - calls: real calls (cache hits excluded); success = no CAL code; availability ignores the caller's own 4xx
 * - latency p50/p95 over calls that went out (an open circuit answers in 0 ms and is left out)
 * - cache hit rate over cacheable reads (GET of slots and event types)
 */
export type Scope = { from: Date; to: Date; companyId?: number; bucket: string };

const AVAILABILITY_CODES = sql`('CAL-012','CAL-005','CAL-013')`;

function apiWhere(s: Scope): SQL {
  const company = s.companyId ? sql` and ${apiCalls.companyId} = ${s.companyId}` : sql``;
  return sql`${apiCalls.at} >= ${s.from.toISOString()}::timestamptz and ${apiCalls.at} < ${s.to.toISOString()}::timestamptz${company}`;
}

const aggregates = sql`
  count(*) filter (where not ${apiCalls.isCacheHit})::int as calls,
  count(*) filter (where not ${apiCalls.isCacheHit} and ${apiCalls.calCode} is not null)::int as failures,
  count(*) filter (where not ${apiCalls.isCacheHit} and ${apiCalls.calCode} in ${AVAILABILITY_CODES})::int as unavailable,
  (percentile_cont(0.5) within group (order by ${apiCalls.durationMs}) filter (where not ${apiCalls.isCacheHit} and ${apiCalls.calCode} is distinct from 'CAL-013'))::float8 as p50,
  (percentile_cont(0.95) within group (order by ${apiCalls.durationMs}) filter (where not ${apiCalls.isCacheHit} and ${apiCalls.calCode} is distinct from 'CAL-013'))::float8 as p95,
  (avg(${apiCalls.durationMs}) filter (where not ${apiCalls.isCacheHit} and ${apiCalls.calCode} is distinct from 'CAL-013'))::float8 as avg_ms,
  count(*) filter (where ${apiCalls.isCacheHit})::int as cache_hits,
  count(*) filter (where ${apiCalls.method} = 'GET' and ${apiCalls.family} in ('slots','eventTypes'))::int as cacheable`;

export type AggRow = {
  calls: number;
  failures: number;
  unavailable: number;
  p50: number | null;
  p95: number | null;
  avg_ms: number | null;
  cache_hits: number;
  cacheable: number;
};

export function shape(r: AggRow) {
  const calls = Number(r.calls);
  return {
    calls,
    failures: Number(r.failures),
    successRate: rate(calls - Number(r.failures), calls),
    availability: rate(calls - Number(r.unavailable), calls),
    p50Ms: r.p50 === null ? null : Number(r.p50),
    p95Ms: r.p95 === null ? null : Number(r.p95),
    avgMs: r.avg_ms === null ? null : Math.round(Number(r.avg_ms)),
    cacheHitRate: rate(Number(r.cache_hits), Number(r.cacheable)),
  };
}
export type ApiAggregate = ReturnType<typeof shape>;

export type ApiAll = {
  summary: ApiAggregate;
  series: (ApiAggregate & { t: string })[];
  families: (ApiAggregate & { family: string })[];
};
export const EMPTY_AGG: AggRow = {
  calls: 0,
  failures: 0,
  unavailable: 0,
  p50: null,
  p95: null,
  avg_ms: null,
  cache_hits: 0,
  cacheable: 0,
};

/** Summary, buckets and families in one scan of the raw log (GROUPING SETS): the 1-hour window, exact percentiles. */
export async function apiAll(db: DbOrTx, s: Scope): Promise<ApiAll> {
  // The bucket is computed once in a subquery (aliased as the table, so the shared aggregate expressions apply).
  const rows = await queryRows<
    AggRow & { t: Date | string | null; family: string | null; g_t: number; g_family: number }
  >(
    db,
    sql`select t, ${apiCalls.family} as family, grouping(t)::int as g_t, grouping(${apiCalls.family})::int as g_family, ${aggregates}
        from (select date_bin(${s.bucket}::interval, ${apiCalls.at}, ${s.from.toISOString()}::timestamptz) as t, ${apiCalls.family}, ${apiCalls.isCacheHit},
                     ${apiCalls.calCode}, ${apiCalls.durationMs}, ${apiCalls.method}
              from ${apiCalls} where ${apiWhere(s)}) as ${apiCalls}
        group by grouping sets ((), (t), (${apiCalls.family}))`,
  );
  const total = rows.find((r) => Number(r.g_t) === 1 && Number(r.g_family) === 1);
  const series = rows
    .filter((r) => Number(r.g_t) === 0)
    .map((r) => ({ t: new Date(r.t!).toISOString(), ...shape(r) }))
    .sort((a, b) => a.t.localeCompare(b.t));
  const families = rows
    .filter((r) => Number(r.g_family) === 0)
    .map((r) => ({ family: r.family!, ...shape(r) }))
    .sort((a, b) => b.calls - a.calls);
  return { summary: shape(total ?? EMPTY_AGG), series, families };
}

export type BookingPoint = { t: string; attempts: number; succeeded: number };

/** A booking series query (raw calls or rollups) as points: one per bucket, counts as numbers. */
export async function bookingPoints(db: DbOrTx, query: SQL): Promise<BookingPoint[]> {
  const rows = await queryRows<{ t: Date | string; attempts: number; succeeded: number }>(db, query);
  return rows.map((r) => ({
    t: new Date(r.t).toISOString(),
    attempts: Number(r.attempts),
    succeeded: Number(r.succeeded),
  }));
}

/** Booking creation (POST /v2/bookings) success rate; a refused slot counts as a failure the caller saw. */
export async function bookingSeries(db: DbOrTx, s: Scope): Promise<BookingPoint[]> {
  return bookingPoints(
    db,
    sql`select date_bin(${s.bucket}::interval, ${apiCalls.at}, ${s.from.toISOString()}::timestamptz) as t,
          count(*)::int as attempts, count(*) filter (where ${apiCalls.calCode} is null)::int as succeeded
        from ${apiCalls} where ${apiWhere(s)} and ${apiCalls.family} = 'bookings' and ${apiCalls.method} = 'POST' and ${apiCalls.pathTemplate} = '/v2/bookings'
        group by 1 order by 1`,
  );
}

/** Circuit trips (transitions into "open") per bucket, and the worst clock hour of the window. */
export async function circuitTrips(
  db: DbOrTx,
  s: Scope,
): Promise<{ series: { t: string; trips: number }[]; maxPerHour: number; total: number }> {
  const company = s.companyId ? sql` and ${circuitEvents.companyId} = ${s.companyId}` : sql``;
  const where = sql`${circuitEvents.at} >= ${s.from.toISOString()}::timestamptz and ${circuitEvents.at} < ${s.to.toISOString()}::timestamptz and ${circuitEvents.toState} = 'open' and ${circuitEvents.fromState} <> 'open'${company}`;
  const rows = await queryRows<{ t: Date | string; trips: number }>(
    db,
    sql`select date_bin(${s.bucket}::interval, ${circuitEvents.at}, ${s.from.toISOString()}::timestamptz) as t, count(*)::int as trips from ${circuitEvents} where ${where} group by 1 order by 1`,
  );
  const [hour] = await queryRows<{ max: number | null }>(
    db,
    sql`select max(n)::int as max from (select count(*) as n from ${circuitEvents} where ${where} group by date_trunc('hour', ${circuitEvents.at})) h`,
  );
  const series = rows.map((r) => ({ t: new Date(r.t).toISOString(), trips: Number(r.trips) }));
  return { series, maxPerHour: Number(hour?.max ?? 0), total: series.reduce((n, r) => n + r.trips, 0) };
}

export type StateBand = { companyId: number; from: string; to: string; state: "closed" | "open" | "half_open" };

/** The circuit's state over the window per company: the state before the window, then every transition in it. */
export async function circuitBands(db: DbOrTx, s: Scope, now: Date): Promise<StateBand[]> {
  const company = s.companyId ? sql` and ${circuitEvents.companyId} = ${s.companyId}` : sql``;
  const before = await queryRows<{ company_id: number; to_state: StateBand["state"] }>(
    db,
    sql`select distinct on (${circuitEvents.companyId}) ${circuitEvents.companyId} as company_id, ${circuitEvents.toState} as to_state
        from ${circuitEvents} where ${circuitEvents.at} < ${s.from.toISOString()}::timestamptz${company} order by ${circuitEvents.companyId}, ${circuitEvents.id} desc`,
  );
  const events = await queryRows<{ company_id: number; at: Date | string; to_state: StateBand["state"] }>(
    db,
    sql`select ${circuitEvents.companyId} as company_id, ${circuitEvents.at} as at, ${circuitEvents.toState} as to_state from ${circuitEvents}
        where ${circuitEvents.at} >= ${s.from.toISOString()}::timestamptz and ${circuitEvents.at} < ${s.to.toISOString()}::timestamptz${company}
        order by ${circuitEvents.companyId}, ${circuitEvents.id} limit 5000`,
  );
  const end = new Date(Math.min(now.getTime(), s.to.getTime())).toISOString();
  const companies = new Set([...before.map((b) => Number(b.company_id)), ...events.map((e) => Number(e.company_id))]);
  const bands: StateBand[] = [];
  for (const companyId of companies) {
    let state: StateBand["state"] = before.find((b) => Number(b.company_id) === companyId)?.to_state ?? "closed";
    let since = s.from.toISOString();
    for (const e of events.filter((x) => Number(x.company_id) === companyId)) {
      const at = new Date(e.at).toISOString();
      if (at > since) bands.push({ companyId, from: since, to: at, state });
      state = e.to_state;
      since = at;
    }
    if (end > since) bands.push({ companyId, from: since, to: end, state });
  }
  return bands;
}
