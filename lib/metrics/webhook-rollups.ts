import "server-only";
import { sql } from "drizzle-orm";
import { webhookDeliveryRollups, webhookRollupBuckets, webhookRollupWatermark } from "@/drizzle/schema/metrics";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import { queryRows, type Db, type DbOrTx } from "@/lib/db/types";
import type { Scope } from "./api-metrics";

/**
 * The webhook series of a long window: settled 5-minute buckets (older than SETTLE) from webhook_delivery_rollups,
 * filled from the log the first time a window needs them; the unsettled tail straight from the log. The trigger on
 * webhook_deliveries drops any bucket a later write touches (processing, reprocess, retention, an import), so a
 * rollup never disagrees with the log for longer than until the next read.
 */
const SETTLE_MS = 10 * 60_000;
const BUCKET_MS = 5 * 60_000;
const BIN = (col: unknown) => sql`date_bin('5 minutes', ${col}, timestamptz '1970-01-01 00:00:00+00')`;

/** The start of the newest settled bucket at `now`: buckets before it are filled from the log and then kept. */
function settledMark(now: Date): Date {
  return new Date(Math.floor((now.getTime() - SETTLE_MS) / BUCKET_MS) * BUCKET_MS);
}

/** A bucket's rollup rows: deliveries per company (0: none), verdict and status, and how many of them failed. */
const ROLLUP_COLUMNS = sql.raw("bucket, company_id, verdict, status, received, failed");
const rollupSelect = (w: typeof webhookDeliveries) =>
  sql`select ${BIN(w.receivedAt)}, coalesce(${w.companyId}, 0), ${w.verdict}, ${w.status}, count(*),
        count(*) filter (where ${w.status} in ('failed','rejected'))`;

/**
 * Materialize the settled buckets of [from, mid) that nobody has filled yet (or a write has dropped since), walking
 * the buckets: a window's cost is its bucket count, whatever it holds.
 */
async function fillSettled(db: DbOrTx, from: string, mid: string): Promise<void> {
  const w = webhookDeliveries;
  await db.execute(sql`
    with missing as (
      select b from generate_series(${from}::timestamptz, ${mid}::timestamptz - interval '5 minutes', interval '5 minutes') as b
      where not exists (select 1 from ${webhookRollupBuckets} m where m.bucket = b)
    ), filled as (
      insert into ${webhookDeliveryRollups} (${ROLLUP_COLUMNS})
      ${rollupSelect(w)}
      from ${w} where ${w.receivedAt} >= (select min(b) from missing) and ${w.receivedAt} < (select max(b) from missing) + interval '5 minutes'
        and ${BIN(w.receivedAt)} in (select b from missing)
      group by 1, 2, 3, 4
      on conflict do nothing
    )
    insert into ${webhookRollupBuckets} (bucket) select b from missing on conflict do nothing`);
}

/**
 * Materialize the settled buckets of [from, mid) that hold deliveries and are not filled yet, walking the deliveries
 * (through the received_at index): from the watermark that is what arrived since the last fill, whatever the span.
 */
async function fillReceived(db: DbOrTx, from: string, mid: string): Promise<void> {
  const w = webhookDeliveries;
  await db.execute(sql`
    with filled as (
      insert into ${webhookDeliveryRollups} (${ROLLUP_COLUMNS})
      ${rollupSelect(w)}
      from ${w} where ${w.receivedAt} >= ${from}::timestamptz and ${w.receivedAt} < ${mid}::timestamptz
        and not exists (select 1 from ${webhookRollupBuckets} m where m.bucket = ${BIN(w.receivedAt)})
      group by 1, 2, 3, 4
      on conflict do nothing
      returning bucket
    )
    insert into ${webhookRollupBuckets} (bucket) select distinct bucket from filled on conflict do nothing`);
}

export async function webhookSeriesFromRollups(
  db: DbOrTx,
  s: Scope,
  now = new Date(),
): Promise<{ t: string; received: number; failed: number }[]> {
  const w = webhookDeliveries;
  const r = webhookDeliveryRollups;
  const settled = new Date(Math.max(s.from.getTime(), Math.min(s.to.getTime(), settledMark(now).getTime())));
  const from = s.from.toISOString();
  const mid = settled.toISOString();
  if (settled > s.from) await fillSettled(db, from, mid);
  const company = s.companyId ? sql` and ${r.companyId} = ${s.companyId}` : sql``;
  const rawCompany = s.companyId ? sql` and ${w.companyId} = ${s.companyId}` : sql``;
  const rows = await queryRows<{ t: Date | string; received: number; failed: number }>(
    db,
    sql`select date_bin(${s.bucket}::interval, bucket, ${from}::timestamptz) as t, sum(received)::int as received, sum(failed)::int as failed
        from (select ${r.bucket} as bucket, ${r.received} as received, ${r.failed} as failed from ${r}
              where ${r.bucket} >= ${from}::timestamptz and ${r.bucket} < ${mid}::timestamptz${company}
              union all
              select ${w.receivedAt}, 1, case when ${w.status} in ('failed','rejected') then 1 else 0 end from ${w}
              where ${w.receivedAt} >= ${mid}::timestamptz and ${w.receivedAt} < ${s.to.toISOString()}::timestamptz${rawCompany}) x
        group by 1 order by 1`,
  );
  return rows.map((x) => ({ t: new Date(x.t).toISOString(), received: Number(x.received), failed: Number(x.failed) }));
}

/**
 * Every delivery in the log counted per company (null: none), verdict and status, as `group by` rows (the shape the
 * Prometheus collector's `counted` turns into samples): the settled buckets from the rollups, the unsettled tail from
 * the log through its received_at index. The watermark says up to where every settled bucket is filled, so a scrape
 * fills only what arrived since the last one settled (the first scrape fills everything) and the buckets a write
 * dropped (the trigger moves the watermark back to them).
 */
export async function webhookCountsFromRollups(
  db: Db,
  now = new Date(),
): Promise<{ company_id: number | null; verdict: string; status: string; n: number }[]> {
  const w = webhookDeliveries;
  const r = webhookDeliveryRollups;
  const m = webhookRollupWatermark;
  const settled = settledMark(now);
  const mid = settled.toISOString();
  return db.transaction(async (tx) => {
    await tx.execute(sql`insert into ${m} (id, upto) values (1, '-infinity') on conflict do nothing`);
    // Locked: a write that drops a bucket meanwhile moves the watermark back after this fill commits, not under it.
    const [span] = await queryRows<{ first: Date | string | null; from: Date | string }>(
      tx,
      sql`select f.first, greatest(${m.upto}, ${BIN(sql`f.first`)}) as from
          from ${m}, (select min(${w.receivedAt}) as first from ${w}) f where ${m.id} = 1 for update of ${m}`,
    );
    if (!span?.first) return [];
    const from = new Date(span.from);
    if (from < settled) await fillReceived(tx, from.toISOString(), mid);
    await tx.execute(sql`update ${m} set upto = greatest(${m.upto}, ${mid}::timestamptz) where ${m.id} = 1`);
    const rows = await queryRows<{ company_id: number | null; verdict: string; status: string; n: string | number }>(
      tx,
      sql`select nullif(company_id, 0) as company_id, verdict, status, sum(n)::bigint as n
          from (select ${r.companyId} as company_id, ${r.verdict} as verdict, ${r.status} as status, ${r.received} as n
                  from ${r} where ${r.bucket} < ${mid}::timestamptz
                union all
                select coalesce(${w.companyId}, 0), ${w.verdict}, ${w.status}, count(*) from ${w}
                  where ${w.receivedAt} >= ${mid}::timestamptz group by 1, 2, 3) x
          group by 1, 2, 3`,
    );
    return rows.map((x) => ({ ...x, n: Number(x.n) }));
  });
}
