import "server-only";
import * as clock from "@/lib/time/clock";
import { and, count, desc, eq, gt, inArray, max } from "drizzle-orm";
import { companies } from "@/drizzle/schema/core";
import { syncEventTypes, syncRuns, syncServiceStates } from "@/drizzle/schema/sync";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import type { DbOrTx } from "@/lib/db/types";
import { DEFAULT_SYNC_SETTINGS, listSyncSettings } from "./settings";

/** The seed's GET /api/calcom/sync-status shape, per company and overall, plus what the panels need for freshness. */

type SyncError = { company_id: number; run_id: number; at: string; status: string; reason: string | null };

export type CompanySyncStatus = {
  company_id: number;
  company_name: string;
  last_sync: string | null;
  event_types_count: number;
  pending_webhooks: number;
  sync_errors: SyncError[];
  interval_minutes: number;
  is_schedule_enabled: boolean;
  is_auto_deactivate: boolean;
  orphan_share_percent: number;
  /** No successful live sync within twice the interval. */
  is_stale: boolean;
  running_run_id: number | null;
  last_run: {
    id: number;
    status: string;
    is_check_only: boolean;
    started_at: string;
    finished_at: string | null;
  } | null;
  pending_review: number;
};

export type SyncStatus = {
  last_sync: string | null;
  event_types_count: number;
  pending_webhooks: number;
  sync_errors: SyncError[];
  companies: CompanySyncStatus[];
};

/** Webhook deliveries received but not processed yet, per company (the partial queue index webhook_deliveries_queue: pending rows are few). */
async function countPendingWebhooks(db: DbOrTx, companyIds: number[]): Promise<Map<number, number>> {
  const rows = await db
    .select({ companyId: webhookDeliveries.companyId, n: count() })
    .from(webhookDeliveries)
    .where(and(inArray(webhookDeliveries.companyId, companyIds), eq(webhookDeliveries.status, "pending")))
    .groupBy(webhookDeliveries.companyId);
  return new Map(rows.map((r) => [r.companyId!, Number(r.n)]));
}

export async function getSyncStatus(db: DbOrTx, opts: { companyId?: number; now?: Date } = {}): Promise<SyncStatus> {
  const now = opts.now ?? clock.now();
  const companyRows = await db
    .select({ id: companies.id, name: companies.name })
    .from(companies)
    .where(opts.companyId ? eq(companies.id, opts.companyId) : undefined)
    .orderBy(companies.id);
  const ids = companyRows.map((c) => c.id);
  if (ids.length === 0)
    return { last_sync: null, event_types_count: 0, pending_webhooks: 0, sync_errors: [], companies: [] };
  const [settings, pending, lastSuccess, etCounts, reviewCounts] = await Promise.all([
    listSyncSettings(db),
    countPendingWebhooks(db, ids),
    db
      .select({ companyId: syncRuns.companyId, at: max(syncRuns.finishedAt) })
      .from(syncRuns)
      .where(and(inArray(syncRuns.companyId, ids), eq(syncRuns.status, "succeeded"), eq(syncRuns.isCheckOnly, false)))
      .groupBy(syncRuns.companyId),
    db
      .select({ companyId: syncEventTypes.companyId, n: count() })
      .from(syncEventTypes)
      .where(and(inArray(syncEventTypes.companyId, ids), eq(syncEventTypes.isPresent, true)))
      .groupBy(syncEventTypes.companyId),
    db
      .select({ companyId: syncServiceStates.companyId, n: count() })
      .from(syncServiceStates)
      .where(and(inArray(syncServiceStates.companyId, ids), eq(syncServiceStates.status, "pending_review")))
      .groupBy(syncServiceStates.companyId),
  ]);
  const out: CompanySyncStatus[] = [];
  for (const c of companyRows) {
    const s = settings.get(c.id) ?? DEFAULT_SYNC_SETTINGS;
    const lastSync = lastSuccess.find((r) => r.companyId === c.id)?.at ?? null;
    const [lastRun] = await db
      .select()
      .from(syncRuns)
      .where(eq(syncRuns.companyId, c.id))
      .orderBy(desc(syncRuns.id))
      .limit(1);
    // Errors: live runs that aborted or failed since the last successful live sync.
    const errors = await db
      .select()
      .from(syncRuns)
      .where(
        and(
          eq(syncRuns.companyId, c.id),
          eq(syncRuns.isCheckOnly, false),
          inArray(syncRuns.status, ["aborted", "failed"]),
          lastSync ? gt(syncRuns.startedAt, lastSync) : undefined,
        ),
      )
      .orderBy(desc(syncRuns.id))
      .limit(10);
    out.push({
      company_id: c.id,
      company_name: c.name,
      last_sync: lastSync?.toISOString() ?? null,
      event_types_count: Number(etCounts.find((r) => r.companyId === c.id)?.n ?? 0),
      pending_webhooks: pending.get(c.id) ?? 0,
      sync_errors: errors.map((r) => ({
        company_id: c.id,
        run_id: r.id,
        at: r.startedAt.toISOString(),
        status: r.status,
        reason: r.reason,
      })),
      interval_minutes: s.intervalMinutes,
      is_schedule_enabled: s.isScheduleEnabled,
      is_auto_deactivate: s.isAutoDeactivate,
      orphan_share_percent: s.orphanSharePercent,
      is_stale: !lastSync || now.getTime() - lastSync.getTime() > 2 * s.intervalMinutes * 60_000,
      running_run_id: lastRun?.status === "running" ? lastRun.id : null,
      last_run: lastRun
        ? {
            id: lastRun.id,
            status: lastRun.status,
            is_check_only: lastRun.isCheckOnly,
            started_at: lastRun.startedAt.toISOString(),
            finished_at: lastRun.finishedAt?.toISOString() ?? null,
          }
        : null,
      pending_review: Number(reviewCounts.find((r) => r.companyId === c.id)?.n ?? 0),
    });
  }
  const lastSyncs = out
    .map((c) => c.last_sync)
    .filter((v): v is string => v !== null)
    .sort();
  return {
    last_sync: lastSyncs.at(-1) ?? null,
    event_types_count: out.reduce((n, c) => n + c.event_types_count, 0),
    pending_webhooks: out.reduce((n, c) => n + c.pending_webhooks, 0),
    sync_errors: out.flatMap((c) => c.sync_errors),
    companies: out,
  };
}
