import { eq, sql } from "drizzle-orm";
import { services } from "@/drizzle/schema/core";
import { forceOpenCircuit } from "@/lib/calcom/breaker";
import { createTestCompany, upstreamCount } from "@/lib/calcom/client-test-helpers";
import { getMe } from "@/lib/calcom/endpoints";
import { CalcomError } from "@/lib/calcom/errors";
import { setSandboxRateLimit } from "@/lib/calcom-sandbox/rate-limit";
import { berlin, createSandboxFixture, type SandboxFixture } from "@/lib/calcom-sandbox/test-fixtures";
import type { Db } from "@/lib/db/types";
import { FRISEUR } from "@/lib/demo/catalog";
import { maxRow, median, medianMs, ratioRow, round, runChild, type BenchContext } from "./harness";
import type { BenchRow } from "./types";

/**
 * Benches through the real client over HTTP against the sandbox served by this process: sync of a large team and
 * reconciliation of a large range (each run in a child process, its peak RSS measured), the breaker's fail-fast
 * answer, and coalescing across two processes.
 */
const actor = { kind: "system", label: "bench", role: "admin" } as const;
const CALL_TIMEOUT_MS = 10_000; // the client's per-call timeout (lib/calcom/client.ts)
const BENCH_ET_BASE = 45_000_000;
// Children page 100,000 bookings: Cal.com's 120/min would make that minutes of waiting, so both limits are lifted.
const UNLIMITED = { CALCOM_RATE_LIMIT_PER_MINUTE: "100000", CALCOM_RATE_LIMIT_BURST: "100000" };

const PARTS = {
  sync: benchSync,
  reconcile: benchReconcile,
  breaker: benchBreaker,
  coalescing: benchCoalescing,
} as const;
export const CALCOM_PARTS = Object.keys(PARTS) as (keyof typeof PARTS)[];

export async function benchCalcom(
  db: Db,
  ctx: BenchContext,
  parts: readonly (keyof typeof PARTS)[] = CALCOM_PARTS,
): Promise<BenchRow[]> {
  const fx = await createSandboxFixture(db);
  await setSandboxRateLimit(db, { limit: 100_000 });
  try {
    const rows: BenchRow[] = [];
    for (const part of parts) rows.push(...(await PARTS[part](db, ctx, fx)));
    return rows;
  } finally {
    await fx.close();
  }
}

async function benchSync(db: Db, ctx: BenchContext, fx: SandboxFixture): Promise<BenchRow[]> {
  const n = ctx.quick ? 500 : 5_000;
  const template = fx.et(FRISEUR.services[0]!.eventTypeId);
  await db.execute(sql`
    insert into sandbox_event_types (id, team_id, slug, title, length_in_minutes, host_user_ids, schedule)
    select ${BENCH_ET_BASE}::int + i, team_id, 'bench-service-' || i, 'Bench Service ' || i, 30, host_user_ids, schedule
    from sandbox_event_types, generate_series(1, ${n}::int) as i where id = ${template}::int`);
  // One company per run, each with n services mapped to the team's event types: every run is a first sync.
  const companyIds: number[] = [];
  for (let r = 0; r < ctx.runs; r++) {
    const { companyId } = await createTestCompany(db, { fx });
    await db.execute(sql`
      insert into services (company_id, name, calcom_event_type_id, duration_minutes)
      select ${companyId}::int, 'Bench Service ' || i, ${BENCH_ET_BASE}::int + i, 30 from generate_series(1, ${n}::int) as i`);
    companyIds.push(companyId);
  }
  const runs = [];
  for (const companyId of companyIds)
    runs.push(
      await runChild<{ ms: number; status: string; reason: string | null }>(ctx, "sync", { companyId }, UNLIMITED),
    );
  const bad = runs.find((r) => r.result.status !== "succeeded");
  if (bad) throw new Error(`bench sync ${bad.result.status}: ${bad.result.reason}`);
  const active = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(services)
    .where(eq(services.companyId, companyIds[0]!));
  ctx.log(`  sync: ${active[0]?.n} services, runs ${runs.map((r) => round(r.result.ms / 1000, 2)).join(" / ")} s`);
  const size = `${n.toLocaleString("en")} event types + ${n.toLocaleString("en")} services`;
  return [
    maxRow(`sync of a team, ${size}`, median(runs.map((r) => r.result.ms)) / 1000, "s", 10),
    maxRow(`sync peak RSS (child process), ${size}`, Math.max(...runs.map((r) => r.maxRssMb)), "MB", 300),
  ];
}

async function benchReconcile(db: Db, ctx: BenchContext, fx: SandboxFixture): Promise<BenchRow[]> {
  const n = ctx.quick ? 10_000 : 100_000;
  const { companyId } = await createTestCompany(db, { fx });
  const eventTypeId = fx.et(FRISEUR.services[0]!.eventTypeId);
  const host = fx.tenant.staff[0]!;
  const from = "2041-01-01T00:00:00.000Z";
  const to = "2041-12-31T00:00:00.000Z";
  // n bookings over the year, 25 seconds apart per slot pattern; the appointments mirror them, with every 50th
  // cancelled on one side and every 70th moved by 30 minutes, so the walk finds real differences.
  await db.execute(sql`
    insert into sandbox_bookings (uid, event_type_id, team_id, user_id, host_ids, title, start, "end", status, attendees, hosts)
    select 'bench-' || i, ${eventTypeId}::int, ${fx.teamId}::int, ${host.calcomUserId}::int, array[${host.calcomUserId}::int], 'Bench ' || i,
           timestamptz '2041-01-02' + i * interval '5 minutes', timestamptz '2041-01-02' + i * interval '5 minutes' + interval '30 minutes',
           case when i % 50 = 0 then 'cancelled' else 'accepted' end,
           jsonb_build_array(jsonb_build_object('name', 'Kunde ' || i, 'email', 'k' || i || '@example.com', 'timeZone', 'Europe/Berlin', 'language', 'de')),
           '[]'::jsonb
    from generate_series(1, ${n}::int) as i`);
  await db.execute(sql`
    insert into appointments (company_id, starts_at, ends_at, time_zone, status, attendee_email, calcom_event_type_id, calcom_booking_uid, sync_status)
    select ${companyId}::int, s, s + interval '30 minutes', 'Europe/Berlin', 'confirmed', 'k' || i || '@example.com', ${eventTypeId}::int, 'bench-' || i, 'synced'
    from (select i, timestamptz '2041-01-02' + i * interval '5 minutes' + case when i % 70 = 0 then interval '30 minutes' else interval '0' end as s
          from generate_series(1, ${n}::int) as i) g`);
  await db.execute(sql`analyze`);
  const runs = [];
  for (let r = 0; r < ctx.runs; r++)
    runs.push(
      await runChild<{ ms: number; status: string; error: string | null; remoteCount: number; localCount: number }>(
        ctx,
        "reconcile",
        { companyId, from, to },
        UNLIMITED,
      ),
    );
  const bad = runs.find((r) => r.result.status !== "completed");
  if (bad) throw new Error(`bench reconcile ${bad.result.status}: ${bad.result.error}`);
  if (runs.some((r) => r.result.remoteCount !== n || r.result.localCount !== n))
    throw new Error(
      `bench reconcile saw ${runs.map((r) => `${r.result.remoteCount}/${r.result.localCount}`).join(", ")} of ${n}`,
    );
  ctx.log(
    `  reconcile: ${runs[0]!.result.remoteCount} bookings, ${runs[0]!.result.localCount} appointments, runs ${runs.map((r) => round(r.result.ms / 1000, 2)).join(" / ")} s`,
  );
  const size = `${n.toLocaleString("en")} appointments vs ${n.toLocaleString("en")} bookings`;
  return [
    maxRow(`reconciliation, ${size}`, median(runs.map((r) => r.result.ms)) / 1000, "s", 60),
    maxRow(`reconciliation peak RSS (child process), ${size}`, Math.max(...runs.map((r) => r.maxRssMb)), "MB", 300),
  ];
}

async function benchBreaker(db: Db, ctx: BenchContext, fx: SandboxFixture): Promise<BenchRow[]> {
  const { companyId, http } = await createTestCompany(db, { fx });
  await forceOpenCircuit(db, {
    companyId,
    reason: "bench",
    until: new Date(Date.now() + 3_600_000).toISOString(),
    actor,
  });
  const failFast = await medianMs(Math.max(ctx.runs, 20), async () => {
    const error = await getMe(http).then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof CalcomError) || error.calCode !== "CAL-013")
      throw new Error("the open circuit did not refuse the call");
  });
  return [ratioRow("breaker open: fail-fast answer vs the call timeout", failFast, "ms", CALL_TIMEOUT_MS, 0.01)];
}

async function benchCoalescing(db: Db, ctx: BenchContext, fx: SandboxFixture): Promise<BenchRow[]> {
  const { companyId } = await createTestCompany(db, { fx });
  const eventTypeId = fx.et(FRISEUR.services[0]!.eventTypeId);
  const upstream: number[] = [];
  for (let r = 0; r < ctx.runs; r++) {
    // A new day each run, so no run finds the previous one's cache entry.
    const day = `2051-03-${String(10 + r).padStart(2, "0")}`;
    const input = {
      companyId,
      eventTypeId,
      start: berlin(day, "00:00"),
      end: berlin(day, "23:59"),
      n: 100,
      startAt: Date.now() + 4_000,
    };
    const before = await upstreamCount(db, "slots");
    await Promise.all([runChild(ctx, "coalesce", input), runChild(ctx, "coalesce", input)]);
    upstream.push((await upstreamCount(db, "slots")) - before);
  }
  ctx.log(`  coalescing: upstream calls per run ${upstream.join(" / ")}`);
  return [maxRow("200 identical availability checks over two processes: upstream calls", median(upstream), "calls", 1)];
}
