import "server-only";
import { sql } from "drizzle-orm";
import { webhookDeliveryRollups, webhookRollupBuckets } from "@/drizzle/schema/metrics";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import { queryRows, type DbOrTx } from "@/lib/db/types";
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

export async function webhookSeriesFromRollups(
  db: DbOrTx,
  s: Scope,
  now = new Date(),
): Promise<{ t: string; received: number; failed: number }[]> {
  const w = webhookDeliveries;
  const r = webhookDeliveryRollups;
  const settled = new Date(
    Math.max(
      s.from.getTime(),
      Math.min(s.to.getTime(), Math.floor((now.getTime() - SETTLE_MS) / BUCKET_MS) * BUCKET_MS),
    ),
  );
  const from = s.from.toISOString();
  const mid = settled.toISOString();
  if (settled > s.from) {
    // Materialize the settled buckets the window needs and nobody has filled yet (or a write has dropped since).
    await db.execute(sql`
      with missing as (
        select b from generate_series(${from}::timestamptz, ${mid}::timestamptz - interval '5 minutes', interval '5 minutes') as b
        where not exists (select 1 from ${webhookRollupBuckets} m where m.bucket = b)
      ), filled as (
        insert into ${r} (bucket, company_id, received, failed)
        select ${BIN(w.receivedAt)}, coalesce(${w.companyId}, 0), count(*), count(*) filter (where ${w.status} in ('failed','rejected'))
        from ${w} where ${w.receivedAt} >= (select min(b) from missing) and ${w.receivedAt} < (select max(b) from missing) + interval '5 minutes'
          and ${BIN(w.receivedAt)} in (select b from missing)
        group by 1, 2
        on conflict do nothing
      )
      insert into ${webhookRollupBuckets} (bucket) select b from missing on conflict do nothing`);
  }
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
