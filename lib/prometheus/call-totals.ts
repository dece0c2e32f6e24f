import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/types";

/**
 * Cal.com call counters for Prometheus come from api_calls, which retention prunes. Before it deletes, retention folds
 * the rows into api_call_pruned_totals, so live rows + folded totals only ever grow (a counter must never go down).
 */

/** Latency histogram bucket bounds in milliseconds (exported as seconds). */
export const LATENCY_BUCKETS_MS = [50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

/**
 * The status label: HTTP status, "none" (no answer), "cache" (served from our cache), "circuit_open" (refused locally).
 * The rule is the SQL function (migration 0022), which the trigger keeping api_call_live_totals uses too.
 */
export const STATUS_LABEL_SQL = sql.raw(`api_call_status_label(is_cache_hit, cal_code, status)`);

/**
 * Cumulative bucket counts as a JSON array, in LATENCY_BUCKETS_MS order. The trigger keeping api_call_live_totals
 * (migration 0022) counts the same buckets; lib/metrics/rollups.int.test.ts checks its totals against this aggregate.
 */
export const BUCKETS_SQL = sql.raw(
  `jsonb_build_array(${LATENCY_BUCKETS_MS.map((b) => `count(*) filter (where duration_ms <= ${b})`).join(", ")})`,
);

/** Add the calls older than `cutoff` to the folded totals; call in the transaction that deletes them. */
export async function foldCallsBefore(tx: DbOrTx, cutoff: Date): Promise<void> {
  await tx.execute(sql`
    insert into api_call_pruned_totals as t (company_id, family, status, calls, duration_ms_sum, buckets)
    select company_id, family, ${STATUS_LABEL_SQL}, count(*), coalesce(sum(duration_ms), 0), ${BUCKETS_SQL}
    from api_calls where at < ${cutoff.toISOString()}::timestamptz
    group by 1, 2, 3
    on conflict (company_id, family, status) do update set
      calls = t.calls + excluded.calls,
      duration_ms_sum = t.duration_ms_sum + excluded.duration_ms_sum,
      buckets = (select jsonb_agg(coalesce((t.buckets ->> (i - 1))::bigint, 0) + (excluded.buckets ->> (i - 1))::bigint order by i)
                 from generate_series(1, jsonb_array_length(excluded.buckets)) as i)`);
}
