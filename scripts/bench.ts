// npm run bench – fills a scratch PostgreSQL database (1M api_calls, 1M+ appointments) and times the metrics
// aggregates, keyset pages and the reconciliation walk. Never used by tests. Needs the local PostgreSQL (like tests):
// TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432. BENCH_CALLS / BENCH_APPOINTMENTS change the sizes.
import { sql } from "drizzle-orm";
import { companies } from "@/drizzle/schema/core";
import { reconcileRuns } from "@/drizzle/schema/reconcile";
import { listAppointments } from "@/lib/appointments/appointments";
import { createCalcomHttp } from "@/lib/calcom/client";
import { closeDb, getDb } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { getMetrics } from "@/lib/metrics/metrics";
import { renderMetrics } from "@/lib/prometheus/scrape";
import { listReconcileRuns } from "@/lib/reconcile/queries";
import { walkLocal, walkRemote } from "@/lib/reconcile/classify";
import { findLocalDuplicates, findRemoteDuplicates } from "@/lib/reconcile/duplicates";
import { createDatabase, dropDatabase } from "../test/pg-admin";

const CALLS = Number(process.env.BENCH_CALLS ?? 1_000_000);
const APPOINTMENTS = Number(process.env.BENCH_APPOINTMENTS ?? 1_000_000);
const WALK = 100_000; // appointments in the reconciled range

const rows: { what: string; size: string; ms: number; note?: string }[] = [];
async function time<T>(what: string, size: string, fn: () => Promise<T>, note?: (r: T) => string): Promise<T> {
  const runs: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    result = await fn();
    runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  rows.push({ what, size, ms: runs[1]!, note: note?.(result as T) });
  process.stdout.write(".");
  return result as T;
}

async function fill(db: Db): Promise<{ a: number; b: number }> {
  const [a, b] = await db
    .insert(companies)
    .values([
      { name: "Bench A", slug: "bench-a", calcomApiUrl: "http://127.0.0.1:9", calcomTeamId: 1 },
      { name: "Bench B", slug: "bench-b", calcomApiUrl: "http://127.0.0.1:9", calcomTeamId: 2 },
    ])
    .returning({ id: companies.id });
  const t0 = performance.now();
  // Calls over the last 7 days: 6 families, ~3% failures, ~20% cache hits on reads, log-normal-ish latencies.
  await db.execute(sql`
    insert into api_calls (at, company_id, family, method, path_template, status, duration_ms, cal_code, breaker_state, is_cache_hit)
    select now() - (random() * interval '7 days'),
           case when i % 3 = 0 then ${b!.id}::int else ${a!.id}::int end,
           (array['slots','bookings','eventTypes','me','teams','raw'])[1 + (i % 6)],
           case when i % 11 = 0 then 'POST' else 'GET' end,
           '/v2/x', case when i % 33 = 0 then 503 else 200 end,
           (exp(random() * 7))::int,
           case when i % 33 = 0 then 'CAL-012' when i % 97 = 0 then 'CAL-003' end,
           'closed', (i % 5 = 0 and i % 11 <> 0)
    from generate_series(1, ${CALLS}::int) as i`);
  await db.execute(sql`
    insert into circuit_events (company_id, at, from_state, to_state, reason)
    select ${a!.id}::int, now() - (i * interval '5 minutes'), (array['closed','open','half_open'])[1 + (i % 3)], (array['open','half_open','closed'])[1 + (i % 3)], 'bench'
    from generate_series(1, 2000) as i`);
  const callsMs = performance.now() - t0;
  // Appointments over a year around now; the reconciled month holds WALK of them, 98 % linked to a booking uid.
  const t1 = performance.now();
  await db.execute(sql`
    insert into appointments (company_id, starts_at, ends_at, time_zone, status, attendee_email, calcom_event_type_id, calcom_booking_uid, sync_status)
    select ${a!.id}::int, s, s + interval '30 minutes', 'Europe/Berlin',
           (array['confirmed','confirmed','completed','cancelled','pending'])[1 + (i % 5)]::text,
           'p' || i || '@example.com', 3757770 + (i % 20),
           case when i % 50 <> 0 then 'bench' || i end, 'synced'
    from (select i, case when i <= ${WALK}::int then timestamptz '2040-01-01' + (i * interval '25 seconds')
                          else now() - interval '180 days' + (random() * interval '365 days') end as s
          from generate_series(1, ${APPOINTMENTS}::int) as i) g`);
  const apptMs = performance.now() - t1;
  await db.execute(sql`analyze`);
  rows.push({ what: "fill api_calls + circuit_events", size: `${CALLS.toLocaleString()} rows`, ms: callsMs });
  rows.push({ what: "fill appointments", size: `${APPOINTMENTS.toLocaleString()} rows`, ms: apptMs });
  return { a: a!.id, b: b!.id };
}

async function main() {
  const url = await createDatabase("calcomdiag_bench");
  process.env.DATABASE_URL = url;
  process.env.APP_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  process.env.AUTH_SECRET ??= "bench-auth-secret-bench-auth-secret-123";
  try {
    const db = await getDb();
    console.log(`Scratch database ${new URL(url).pathname.slice(1)}: filling ${CALLS.toLocaleString()} calls and ${APPOINTMENTS.toLocaleString()} appointments…`);
    const { a } = await fill(db);
    for (const window of ["1h", "24h", "7d"] as const) {
      await time(`getMetrics ${window}, all companies`, `${CALLS.toLocaleString()} calls`, () => getMetrics(db, { window }), (m) => `${m.summary.calls.toLocaleString()} calls, p95 ${Math.round(m.summary.p95Ms ?? 0)} ms`);
      await time(`getMetrics ${window}, one company`, "", () => getMetrics(db, { window, companyId: a }));
    }
    await time("Prometheus scrape (GET /api/metrics)", `${CALLS.toLocaleString()} calls`, () => renderMetrics(db, { bypassCache: true }), (m) => `${m.text.length.toLocaleString()} bytes`);
    // Keyset pages: the first page and one deep in the table cost the same.
    await time("appointments page 1 (keyset, 50)", `${APPOINTMENTS.toLocaleString()} rows`, () => listAppointments(db, { companyId: a, limit: 50 }));
    await time("appointments page in the middle (keyset)", "", () => listAppointments(db, { companyId: a, cursor: Math.floor(APPOINTMENTS / 2), limit: 50 }));
    await time("reconcile runs page", "", () => listReconcileRuns(db, { companyId: a }));

    // Reconciliation walk over WALK appointments: Cal.com's side staged as if paged in (every linked appointment has
    // its booking; every 50th differs in status, every 70th in time), then the passes and the duplicate search.
    const [run] = await db
      .insert(reconcileRuns)
      .values({ companyId: a, mode: "full", rangeFrom: new Date("2040-01-01T00:00:00Z"), rangeTo: new Date("2040-02-01T00:00:00Z"), actorLabel: "bench", status: "running", startedAt: new Date() })
      .returning();
    await time(
      "stage Cal.com bookings (insert select)",
      `~${Math.round(WALK * 0.98).toLocaleString()} bookings`,
      async () => {
        await db.execute(sql`delete from reconcile_remote_bookings where run_id = ${run!.id}`);
        await db.execute(sql`
          insert into reconcile_remote_bookings (run_id, uid, booking_id, starts_at, ends_at, status, event_type_id, attendee_email)
          select ${run!.id}::int, calcom_booking_uid, id, starts_at + case when id % 70 = 0 then interval '30 minutes' else interval '0' end,
                 ends_at + case when id % 70 = 0 then interval '30 minutes' else interval '0' end,
                 case when id % 50 = 0 then 'cancelled' when status = 'cancelled' then 'cancelled' when status = 'pending' then 'pending' else 'accepted' end,
                 calcom_event_type_id, attendee_email
          from appointments where company_id = ${a}::int and calcom_booking_uid is not null and starts_at >= '2040-01-01' and ends_at <= '2040-02-01'`);
      },
    );
    await db.execute(sql`analyze reconcile_remote_bookings`);
    const http = await createCalcomHttp(db, a);
    const rss0 = process.memoryUsage().rss;
    await time("walkLocal (keyset chunks of 1,000, join by uid)", `${WALK.toLocaleString()} appointments`, async () => {
      await db.execute(sql`delete from reconcile_items where run_id = ${run!.id}`);
      return walkLocal(db, http, run!);
    }, (s) => `${s.localCount.toLocaleString()} walked, ${s.lookups} look-ups`);
    await time("walkRemote (keyset over staged bookings)", `~${Math.round(WALK * 0.98).toLocaleString()} bookings`, () => walkRemote(db, run!));
    await time("duplicates (GROUP BY both sides)", "", async () => {
      await findRemoteDuplicates(db, run!);
      await findLocalDuplicates(db, run!);
    });
    const [items] = await db.execute(sql`select count(*)::int as n from reconcile_items where run_id = ${run!.id}`).then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as { n: number }[]);
    const rssMb = Math.round((process.memoryUsage().rss - rss0) / 1_048_576);
    console.log("\n");
    const w = Math.max(...rows.map((r) => r.what.length));
    console.log(`${"what".padEnd(w)}  ${"size".padEnd(22)}  ${"median ms".padStart(10)}  note`);
    for (const r of rows) console.log(`${r.what.padEnd(w)}  ${r.size.padEnd(22)}  ${r.ms.toFixed(1).padStart(10)}  ${r.note ?? ""}`);
    console.log(`\nReconciliation items found in the walk (last of 3 runs of each pass): ${items?.n}; RSS growth during the walks: ${rssMb} MB.`);
  } finally {
    await closeDb();
    if (!process.env.KEEP_BENCH_DB) await dropDatabase(url);
  }
}

await main();
