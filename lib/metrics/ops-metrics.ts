import "server-only";
import { sql } from "drizzle-orm";
import { syncRuns } from "@/drizzle/schema/sync";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import { queryRows, type DbOrTx } from "@/lib/db/types";
import { waitingByCompany } from "@/lib/booking/manual-queue";
import type { Scope } from "./api-metrics";

/** Series from the other capabilities' tables: webhook deliveries, sync runs, the manual booking queue. */

const iso = (t: Date | string) => new Date(t).toISOString();

/** Received webhook deliveries per bucket; failed = rejected (signature, tenant, body) or processing failed. */
export async function webhookSeries(db: DbOrTx, s: Scope): Promise<{ t: string; received: number; failed: number }[]> {
  const w = webhookDeliveries;
  const company = s.companyId ? sql` and ${w.companyId} = ${s.companyId}` : sql``;
  const rows = await queryRows<{ t: Date | string; received: number; failed: number }>(
    db,
    sql`select date_bin(${s.bucket}::interval, ${w.receivedAt}, ${s.from.toISOString()}::timestamptz) as t, count(*)::int as received,
          count(*) filter (where ${w.status} in ('failed','rejected'))::int as failed
        from ${w} where ${w.receivedAt} >= ${s.from.toISOString()}::timestamptz and ${w.receivedAt} < ${s.to.toISOString()}::timestamptz${company}
        group by 1 order by 1`,
  );
  return rows.map((r) => ({ t: iso(r.t), received: Number(r.received), failed: Number(r.failed) }));
}

/** Event-type sync runs per bucket; failures = failed or aborted (the orphan share guard) runs. */
export async function syncSeries(db: DbOrTx, s: Scope): Promise<{ t: string; runs: number; failed: number }[]> {
  const r = syncRuns;
  const company = s.companyId ? sql` and ${r.companyId} = ${s.companyId}` : sql``;
  const rows = await queryRows<{ t: Date | string; runs: number; failed: number }>(
    db,
    sql`select date_bin(${s.bucket}::interval, ${r.startedAt}, ${s.from.toISOString()}::timestamptz) as t, count(*)::int as runs,
          count(*) filter (where ${r.status} in ('failed','aborted'))::int as failed
        from ${r} where ${r.startedAt} >= ${s.from.toISOString()}::timestamptz and ${r.startedAt} < ${s.to.toISOString()}::timestamptz${company}
        group by 1 order by 1`,
  );
  return rows.map((x) => ({ t: iso(x.t), runs: Number(x.runs), failed: Number(x.failed) }));
}

/** The manual booking queue now: requests waiting for a person (open, claimed, conflict) and the oldest one's age. */
export async function manualQueue(
  db: DbOrTx,
  opts: { companyId?: number; now: Date },
): Promise<{ size: number; oldestAgeSeconds: number | null; addedInWindow?: number }> {
  const waiting = [...(await waitingByCompany(db, { companyId: opts.companyId })).values()];
  const oldest = waiting.length ? Math.min(...waiting.map((w) => w.oldest.getTime())) : null;
  return {
    size: waiting.reduce((n, w) => n + w.size, 0),
    oldestAgeSeconds: oldest === null ? null : Math.max(0, Math.round((opts.now.getTime() - oldest) / 1000)),
  };
}
