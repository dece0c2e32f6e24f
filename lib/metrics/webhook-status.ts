import "server-only";
import * as clock from "@/lib/time/clock";
import { sql } from "drizzle-orm";
import { companies } from "@/drizzle/schema/core";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import { queryRows, type DbOrTx } from "@/lib/db/types";

/**
 * The guide's `calcom:webhook-status` per company, from the webhook log: the last delivery and the last accepted
 * (verified) one, the last 24 h by status and the rejections by verdict, and deliveries still pending.
 */
export async function getWebhookStatus(db: DbOrTx, opts: { companyId?: number; now?: Date } = {}) {
  const now = opts.now ?? clock.now();
  const since = new Date(now.getTime() - 86_400_000).toISOString();
  const w = webhookDeliveries;
  const company = opts.companyId ? sql` where c.id = ${opts.companyId}` : sql``;
  const rows = await queryRows<{
    id: number;
    name: string;
    last_at: Date | string | null;
    last_verified_at: Date | string | null;
    by_status: Record<string, number> | null;
    rejected: Record<string, number> | null;
    pending: number;
  }>(
    db,
    sql`select c.id, c.name,
          (select max(${w.receivedAt}) from ${w} where ${w.companyId} = c.id) as last_at,
          (select max(${w.receivedAt}) from ${w} where ${w.companyId} = c.id and ${w.verdict} in ('verified','verified_previous_secret','unsigned_allowed')) as last_verified_at,
          (select jsonb_object_agg(s, n) from (select ${w.status} as s, count(*)::int as n from ${w} where ${w.companyId} = c.id and ${w.receivedAt} >= ${since}::timestamptz group by 1) x) as by_status,
          (select jsonb_object_agg(v, n) from (select ${w.verdict} as v, count(*)::int as n from ${w} where ${w.companyId} = c.id and ${w.receivedAt} >= ${since}::timestamptz and ${w.status} = 'rejected' group by 1) y) as rejected,
          (select count(*)::int from ${w} where ${w.companyId} = c.id and ${w.status} = 'pending') as pending
        from ${companies} c${company} order by c.id`,
  );
  return rows.map((r) => {
    const lastVerified = r.last_verified_at ? new Date(r.last_verified_at) : null;
    const byStatus = r.by_status ?? {};
    return {
      companyId: Number(r.id),
      company: r.name,
      lastReceivedAt: r.last_at ? new Date(r.last_at).toISOString() : null,
      lastVerifiedAt: lastVerified?.toISOString() ?? null,
      silenceMinutes: lastVerified ? Math.round((now.getTime() - lastVerified.getTime()) / 60_000) : null,
      last24h: {
        received: Object.values(byStatus).reduce((n, v) => n + Number(v), 0),
        byStatus,
        rejectedByVerdict: r.rejected ?? {},
      },
      pending: Number(r.pending),
    };
  });
}
