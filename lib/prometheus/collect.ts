import "server-only";
import { sql } from "drizzle-orm";
import { waitingByCompany } from "@/lib/booking/manual-queue";
import { queryRows, type Db } from "@/lib/db/types";
import { webhookCountsFromRollups } from "@/lib/metrics/webhook-rollups";
import { LATENCY_BUCKETS_MS } from "./call-totals";

/**
 * Every value is read from PostgreSQL at scrape time, never from process memory: instances are several, and any of
 * them answers the same numbers. Counters are totals over the tables (Cal.com calls add retention's folded totals),
 * read from totals and rollups the database keeps, not by aggregating the logs' rows (docs/performance.md).
 */

type Sample = { labels: Record<string, string>; value: number; metricName?: string };
export type MetricFamily = { name: string; help: string; type: "counter" | "gauge" | "histogram"; values: Sample[] };

const CIRCUIT_STATES = ["closed", "half_open", "open"] as const;

export async function collectMetrics(db: Db, now = new Date()): Promise<MetricFamily[]> {
  const companies = await queryRows<{ id: number; slug: string }>(db, sql`select id, slug from companies order by id`);
  const slug = new Map(companies.map((c) => [c.id, c.slug]));
  const company = (id: number | null) => (id === null ? "unknown" : (slug.get(id) ?? String(id)));
  // A `group by ... count(*)` as samples: the company and the grouped columns are the labels, the count the value.
  const counted = <R extends { company_id: number | null; n: string | number }>(
    rows: R[],
    ...columns: (keyof R & string)[]
  ): Sample[] =>
    rows.map((r) => ({
      labels: { company: company(r.company_id), ...Object.fromEntries(columns.map((c) => [c, String(r[c])])) },
      value: Number(r.n),
    }));

  const parts = await queryRows<{
    company_id: number;
    family: string;
    status: string;
    calls: string;
    duration_ms_sum: string;
    buckets: (string | number)[];
  }>(
    db,
    sql`select company_id, family, status, calls::text, duration_ms_sum::text, to_jsonb(buckets) as buckets from api_call_live_totals
        union all
        select company_id, family, status, calls::text, duration_ms_sum::text, buckets from api_call_pruned_totals`,
  );
  // Live rows (api_call_live_totals, which the database keeps equal to the log) and retention's folded totals, added
  // up per (company, family, status).
  const byKey = new Map<
    string,
    { company_id: number; family: string; status: string; calls: number; durationMsSum: number; buckets: number[] }
  >();
  for (const p of parts) {
    const key = `${p.company_id}|${p.family}|${p.status}`;
    const acc = byKey.get(key) ?? {
      company_id: p.company_id,
      family: p.family,
      status: p.status,
      calls: 0,
      durationMsSum: 0,
      buckets: LATENCY_BUCKETS_MS.map(() => 0),
    };
    acc.calls += Number(p.calls);
    acc.durationMsSum += Number(p.duration_ms_sum);
    LATENCY_BUCKETS_MS.forEach((_, i) => (acc.buckets[i]! += Number(p.buckets[i] ?? 0)));
    byKey.set(key, acc);
  }
  const calls = [...byKey.values()];
  const callValues: Sample[] = calls.map((r) => ({
    labels: { company: company(r.company_id), family: r.family, status: r.status },
    value: r.calls,
  }));

  // Latency of calls that reached Cal.com (cache hits and circuit refusals never did), per company and family.
  const hist = new Map<string, { labels: Record<string, string>; buckets: number[]; sum: number; count: number }>();
  for (const r of calls) {
    if (r.status === "cache" || r.status === "circuit_open") continue;
    const key = `${r.company_id}|${r.family}`;
    const h = hist.get(key) ?? {
      labels: { company: company(r.company_id), family: r.family },
      buckets: LATENCY_BUCKETS_MS.map(() => 0),
      sum: 0,
      count: 0,
    };
    r.buckets.forEach((b, i) => (h.buckets[i]! += b));
    h.sum += r.durationMsSum / 1000;
    h.count += r.calls;
    hist.set(key, h);
  }
  const histValues: Sample[] = [...hist.values()].flatMap((h) => [
    ...LATENCY_BUCKETS_MS.map((b, i) => ({
      metricName: "calcom_api_call_duration_seconds_bucket",
      labels: { ...h.labels, le: String(b / 1000) },
      value: h.buckets[i]!,
    })),
    { metricName: "calcom_api_call_duration_seconds_bucket", labels: { ...h.labels, le: "+Inf" }, value: h.count },
    { metricName: "calcom_api_call_duration_seconds_sum", labels: h.labels, value: h.sum },
    { metricName: "calcom_api_call_duration_seconds_count", labels: h.labels, value: h.count },
  ]);

  const breakers = await queryRows<{ company_id: number; state: string; consecutive_failures: number }>(
    db,
    sql`select company_id, state, consecutive_failures from circuit_breakers`,
  );
  const circuit: Sample[] = companies.flatMap((c) => {
    const state = breakers.find((b) => b.company_id === c.id)?.state ?? "closed";
    return CIRCUIT_STATES.map((s) => ({ labels: { company: c.slug, state: s }, value: s === state ? 1 : 0 }));
  });
  const trips = await queryRows<{ company_id: number; n: string }>(
    db,
    sql`select company_id, count(*)::text as n from circuit_events where to_state = 'open' group by company_id`,
  );

  const deliveries = await webhookCountsFromRollups(db, now);
  // Two index scans: the queue's pending rows, and the deliveries processed in the last 15 minutes.
  const lag = await queryRows<{
    company_id: number | null;
    pending: number;
    oldest_s: number | null;
    avg_lag_s: number | null;
  }>(
    db,
    sql`select company_id, sum(pending)::int as pending,
          extract(epoch from ${now.toISOString()}::timestamptz - min(oldest))::float8 as oldest_s,
          (sum(lag_s) / nullif(sum(processed), 0))::float8 as avg_lag_s
        from (select company_id, count(*) as pending, min(received_at) as oldest, null::float8 as lag_s, 0 as processed
                from webhook_deliveries where status = 'pending' group by company_id
              union all
              select company_id, 0, null, sum(extract(epoch from processed_at - received_at))::float8, count(*)
                from webhook_deliveries where processed_at > ${now.toISOString()}::timestamptz - interval '15 minutes'
                group by company_id) x
        group by company_id`,
  );

  const waiting = await waitingByCompany(db);
  const syncRuns = await queryRows<{ company_id: number; status: string; n: string }>(
    db,
    sql`select company_id, status, count(*)::text as n from sync_runs group by 1, 2`,
  );
  const openAlerts = await queryRows<{ company_id: number | null; severity: string; kind: string; n: number }>(
    db,
    sql`select company_id, severity, kind, count(*)::int as n from alerts where status <> 'resolved' group by 1, 2, 3`,
  );
  const expectations = await queryRows<{ company_id: number; status: string; n: string }>(
    db,
    sql`select company_id, status, count(*)::text as n from webhook_expectations group by 1, 2`,
  );

  return [
    {
      name: "calcom_api_calls_total",
      help: "Cal.com API calls by company, endpoint family and status (HTTP status, none, cache, circuit_open).",
      type: "counter",
      values: callValues,
    },
    {
      name: "calcom_api_call_duration_seconds",
      help: "Latency of Cal.com API calls that reached Cal.com.",
      type: "histogram",
      values: histValues,
    },
    {
      name: "calcom_circuit_breaker_state",
      help: "Circuit breaker state per company (1 for the current state).",
      type: "gauge",
      values: circuit,
    },
    {
      name: "calcom_circuit_breaker_trips_total",
      help: "Times the circuit breaker opened.",
      type: "counter",
      values: counted(trips),
    },
    {
      name: "calcom_webhook_deliveries_total",
      help: "Cal.com webhook deliveries received, by verdict and processing status.",
      type: "counter",
      values: counted(deliveries, "verdict", "status"),
    },
    {
      name: "calcom_webhook_pending",
      help: "Webhook deliveries stored and not processed yet.",
      type: "gauge",
      values: lag.map((l) => ({ labels: { company: company(l.company_id) }, value: l.pending })),
    },
    {
      name: "calcom_webhook_oldest_pending_age_seconds",
      help: "Age of the oldest unprocessed webhook delivery (processing lag).",
      type: "gauge",
      values: lag.map((l) => ({ labels: { company: company(l.company_id) }, value: l.oldest_s ?? 0 })),
    },
    {
      name: "calcom_webhook_processing_lag_seconds",
      help: "Average time from receipt to processing over the last 15 minutes.",
      type: "gauge",
      values: lag
        .filter((l) => l.avg_lag_s !== null)
        .map((l) => ({ labels: { company: company(l.company_id) }, value: l.avg_lag_s! })),
    },
    {
      name: "calcom_webhook_expectations_total",
      help: "Webhooks the watchdog expected after our own changes, by outcome (met, missed, wrong_trigger, unexpected, pending).",
      type: "counter",
      values: counted(expectations, "status"),
    },
    {
      name: "calcom_manual_queue_depth",
      help: "Booking requests waiting for manual booking.",
      type: "gauge",
      values: companies.map((c) => ({ labels: { company: c.slug }, value: waiting.get(c.id)?.size ?? 0 })),
    },
    {
      name: "calcom_manual_queue_oldest_age_seconds",
      help: "Age of the oldest booking request waiting for manual booking (0 when empty).",
      type: "gauge",
      values: companies.map((c) => {
        const w = waiting.get(c.id);
        return { labels: { company: c.slug }, value: w ? Math.max(0, (now.getTime() - w.oldest.getTime()) / 1000) : 0 };
      }),
    },
    {
      name: "calcom_sync_runs_total",
      help: "Event-type sync runs by outcome.",
      type: "counter",
      values: counted(syncRuns, "status"),
    },
    {
      name: "calcom_alerts_open",
      help: "Unresolved alerts (open or acknowledged) by severity and kind.",
      type: "gauge",
      values: counted(openAlerts, "severity", "kind"),
    },
  ];
}
