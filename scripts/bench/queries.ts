import { sql } from "drizzle-orm";
import { companies } from "@/drizzle/schema/core";
import type { Db } from "@/lib/db/types";
import { getMetrics } from "@/lib/metrics/metrics";
import { renderMetrics } from "@/lib/prometheus/scrape";
import { listWebhookDeliveries } from "@/lib/webhooks/log";
import { medianMs, ratioRow, round, type BenchContext } from "./harness";
import type { BenchRow } from "./types";

/**
 * Large-table reads in the runner's process: the metrics windows over the call log (1 h from the raw log, 24 h and
 * 7 d from the rollups; ratio to 1 h, target <= 2), the webhook log's first and a deep keyset page (ratio <= 2), and
 * the Prometheus scrape (/api/metrics) against the same scrape before the import.
 */
export async function benchQueries(db: Db, ctx: BenchContext): Promise<BenchRow[]> {
  const calls = ctx.quick ? 100_000 : 1_000_000;
  const deliveries = ctx.quick ? 100_000 : 1_000_000;
  const [a, b] = await db
    .insert(companies)
    .values([
      { name: "Bench A", slug: "bench-a", calcomApiUrl: "http://127.0.0.1:9", calcomTeamId: 1 },
      { name: "Bench B", slug: "bench-b", calcomApiUrl: "http://127.0.0.1:9", calcomTeamId: 2 },
    ])
    .returning({ id: companies.id });
  // The Prometheus scrape of the same database before the million rows: what a scrape costs that reads no log.
  const emptyScrape = await medianMs(ctx.runs, () => renderMetrics(db, { bypassCache: true }));
  const t0 = performance.now();
  // Calls over the last 7 days in chunks of 100,000 (the rollup triggers run per statement, as for a bulk import):
  // 6 families, ~3 % failures, ~20 % cache hits on reads, log-normal-ish latencies.
  for (let from = 1; from <= calls; from += 100_000) {
    const to = Math.min(calls, from + 99_999);
    await db.execute(sql`
      insert into api_calls (at, company_id, family, method, path_template, status, duration_ms, cal_code, breaker_state, is_cache_hit)
      select now() - (random() * interval '7 days'), case when i % 3 = 0 then ${b!.id}::int else ${a!.id}::int end,
             (array['slots','bookings','eventTypes','me','teams','raw'])[1 + (i % 6)], case when i % 11 = 0 then 'POST' else 'GET' end,
             case when i % 11 = 0 and i % 6 = 1 then '/v2/bookings' else '/v2/x' end, case when i % 33 = 0 then 503 else 200 end,
             (exp(random() * 7))::int, case when i % 33 = 0 then 'CAL-012' when i % 97 = 0 then 'CAL-003' end,
             'closed', (i % 5 = 0 and i % 11 <> 0)
      from generate_series(${from}::int, ${to}::int) as i`);
  }
  ctx.log(`  ${calls.toLocaleString("en")} calls (with rollups) in ${round((performance.now() - t0) / 1000)} s`);
  const t1 = performance.now();
  await db.execute(sql`
    insert into webhook_deliveries (received_at, company_id, trigger_event, booking_uid, headers, body_bytes, verdict, verdict_detail, verification, response_status, status)
    select now() - (i * interval '1 second'), case when i % 3 = 0 then ${b!.id}::int else ${a!.id}::int end,
           (array['BOOKING_CREATED','BOOKING_CANCELLED','BOOKING_RESCHEDULED'])[1 + (i % 3)], 'bench-' || i, '{}'::jsonb, 2400,
           'verified', 'ok', '{}'::jsonb, 202, case when i % 50 = 0 then 'failed' else 'processed' end
    from generate_series(1, ${deliveries}::int) as i`);
  await db.execute(sql`analyze`);
  ctx.log(`  ${deliveries.toLocaleString("en")} webhook deliveries in ${round((performance.now() - t1) / 1000)} s`);

  const rows: BenchRow[] = [];
  const size = `${(calls / 1e6).toLocaleString("en")}M calls`;
  for (const companyId of [undefined, a!.id]) {
    const who = companyId ? "one company" : "all companies";
    const ms = { "1h": 0, "24h": 0, "7d": 0 };
    for (const window of ["1h", "24h", "7d"] as const)
      ms[window] = await medianMs(ctx.runs, () => getMetrics(db, { window, companyId }));
    rows.push({ name: `metrics 1h, ${who} (${size})`, value: round(ms["1h"]), unit: "ms" });
    rows.push(ratioRow(`metrics 24h, ${who} (${size})`, ms["24h"], "ms", ms["1h"], 2));
    rows.push(ratioRow(`metrics 7d, ${who} (${size})`, ms["7d"], "ms", ms["1h"], 2));
  }
  const first = await medianMs(ctx.runs, () => listWebhookDeliveries(db, { limit: 50 }));
  // A cursor deep in the log: the row in the middle of the table.
  const [mid] = await db
    .execute(
      sql`select received_at, id from webhook_deliveries order by received_at desc, id desc offset ${Math.floor(deliveries / 2)} limit 1`,
    )
    .then(
      (r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as { received_at: string | Date; id: number }[],
    );
  const cursor = `${new Date(mid!.received_at).getTime()}_${mid!.id}`;
  const deep = await medianMs(ctx.runs, () => listWebhookDeliveries(db, { limit: 50, cursor }));
  const wsize = `${(deliveries / 1e6).toLocaleString("en")}M rows`;
  rows.push({ name: `webhook log first page (${wsize})`, value: round(first), unit: "ms" });
  rows.push(ratioRow(`webhook log deep keyset page (${wsize})`, deep, "ms", first, 2));
  const companyDeep = await medianMs(ctx.runs, () =>
    listWebhookDeliveries(db, { limit: 50, companyId: a!.id, cursor }),
  );
  rows.push(ratioRow(`webhook log deep page, one company (${wsize})`, companyDeep, "ms", first, 2));
  const t2 = performance.now();
  await renderMetrics(db, { bypassCache: true });
  const firstScrape = performance.now() - t2;
  const scrape = await medianMs(ctx.runs, () => renderMetrics(db, { bypassCache: true }));
  rows.push({ name: `metrics scrape before the import`, value: round(emptyScrape), unit: "ms" });
  rows.push({
    name: `metrics scrape, first after the import (${size}, ${wsize})`,
    value: round(firstScrape),
    unit: "ms",
  });
  // No target: the call counters cost the same at any size; the delivery counters still add up one rollup row per
  // company, verdict and status for each settled 5-minute bucket of the log (docs/performance.md).
  rows.push({
    name: `metrics scrape (${size}, ${wsize})`,
    value: round(scrape),
    unit: "ms",
    baseline: round(emptyScrape),
    ratio: round(scrape / emptyScrape, 3),
  });
  return rows;
}
