import "server-only";
import { sql } from "drizzle-orm";
import type { AlertSeverity } from "@/drizzle/schema/alerts";
import type { CircuitState } from "@/drizzle/schema/calcom";
import { listFallbackModes, type FallbackModeView } from "@/lib/booking/fallback-mode";
import { waitingByCompany } from "@/lib/booking/manual-queue";
import { resolveCalcomTarget } from "@/lib/companies/calcom-target";
import { listCompanyRows } from "@/lib/companies/companies";
import { queryRows } from "@/lib/db/types";
import type { Db } from "@/lib/db/types";
import { CAL_CODES } from "@/lib/calcom/errors";
import type { Freshness } from "./freshness";
import { loadSyncFreshness } from "./sync-freshness";
import { loadWebhookFreshness } from "./webhook-freshness";

export type Health = "ok" | "warning" | "critical" | "unknown";

export type CompanyOverview = {
  companyId: number;
  companyName: string;
  isSandbox: boolean;
  health: Health;
  api: { calls: number; successRatePct: number | null; p95Ms: number | null; lastCallAt: string | null; health: Health };
  circuit: { state: CircuitState; isForcedOpen: boolean; forcedOpenUntil: string | null; lastFailureCode: string | null; health: Health };
  /** Fallback mode: every caller is sent to the manual queue instead of Cal.com. */
  fallback: { isActive: boolean; expiresAt: string | null; reason: string | null };
  sync: Freshness;
  webhooks: Freshness;
  manualQueue: { waiting: number; oldestAgeMinutes: number | null; health: Health };
  alerts: { open: number; acknowledged: number; worst: AlertSeverity | null; health: Health };
  recentErrors: { code: string; title: string; count: number; lastAt: string }[];
};

const worstOf = (...values: Health[]): Health =>
  values.includes("critical") ? "critical" : values.includes("warning") ? "warning" : values.every((v) => v === "unknown") ? "unknown" : "ok";

/**
 * Is Cal.com healthy for each company, and if not, why: one aggregate query per source for all companies
 * (last hour of calls, circuits, manual queue, alerts, errors of the last 24 h by CAL code), plus sync and webhook
 * freshness from their modules.
 */
export async function getOverview(db: Db, opts: { companyId?: number; now?: Date } = {}): Promise<CompanyOverview[]> {
  const now = opts.now ?? new Date();
  const at = now.toISOString();
  const rows = (await listCompanyRows(db)).filter((c) => !opts.companyId || c.id === opts.companyId);
  if (!rows.length) return [];
  const ids = rows.map((c) => c.id);
  const idList = sql.join(ids.map((id) => sql`${id}`), sql`, `);

  const [api, circuits, manual, alertRows, errors, freshness] = await Promise.all([
    queryRows<{ company_id: number; calls: number; ok: number; p95: number | null; last_at: string | null }>(
      db,
      sql`select company_id, count(*)::int as calls, (count(*) filter (where cal_code is null))::int as ok,
                 percentile_cont(0.95) within group (order by duration_ms)::float8 as p95, max(at) as last_at
          from api_calls
          where company_id in (${idList}) and at > ${at}::timestamptz - interval '1 hour' and at <= ${at}::timestamptz
            and not is_cache_hit and (cal_code is null or cal_code <> 'CAL-013')
          group by company_id`,
    ),
    queryRows<{ company_id: number; state: CircuitState; forced: boolean; forced_open_until: string | null; last_failure_code: string | null }>(
      db,
      sql`select company_id, state, coalesce(forced_open_until > ${at}::timestamptz, false) as forced, forced_open_until, last_failure_code
          from circuit_breakers where company_id in (${idList})`,
    ),
    waitingByCompany(db),
    queryRows<{ company_id: number; open: number; acked: number; worst: number }>(
      db,
      sql`select company_id, (count(*) filter (where status = 'open'))::int as open,
                 (count(*) filter (where status = 'acknowledged'))::int as acked,
                 max(case severity when 'critical' then 3 when 'warning' then 2 else 1 end)::int as worst
          from alerts where company_id in (${idList}) and status <> 'resolved' group by company_id`,
    ),
    queryRows<{ company_id: number; code: string; n: number; last_at: string }>(
      db,
      sql`select company_id, cal_code as code, count(*)::int as n, max(at) as last_at from api_calls
          where company_id in (${idList}) and cal_code is not null and at > ${at}::timestamptz - interval '24 hours'
          group by company_id, cal_code order by n desc`,
    ),
    Promise.all([loadSyncFreshness(db, ids, now), loadWebhookFreshness(db, ids, now)]),
  ]);
  const fallbackBy = new Map((await listFallbackModes(db, {}, now)).map((f) => [f.companyId, f]));

  const apiBy = new Map(api.map((r) => [r.company_id, r]));
  const circuitBy = new Map(circuits.map((r) => [r.company_id, r]));
  const alertsBy = new Map(alertRows.map((r) => [r.company_id, r]));
  const unknown: Freshness = { lastAt: null, ageMinutes: null, expectedMinutes: null, health: "unknown", summary: "not recorded yet" };
  const [syncBy, webhooksBy] = freshness;

  return rows.map((c) => {
    const a = apiBy.get(c.id);
    const rate = a && a.calls ? Math.round((a.ok / a.calls) * 1000) / 10 : null;
    const apiHealth: Health = rate === null ? "unknown" : rate < 80 ? "critical" : rate < 95 ? "warning" : "ok";
    const cb = circuitBy.get(c.id);
    const circuitHealth: Health = !cb || cb.state === "closed" ? "ok" : cb.state === "half_open" ? "warning" : "critical";
    const m = manual.get(c.id);
    const oldest = m ? Math.floor((now.getTime() - m.oldest.getTime()) / 60_000) : null;
    const manualHealth: Health = !m ? "ok" : oldest !== null && oldest > 30 ? "critical" : "warning";
    const al = alertsBy.get(c.id);
    const worst: AlertSeverity | null = !al ? null : al.worst === 3 ? "critical" : al.worst === 2 ? "warning" : "info";
    const alertHealth: Health = !al ? "ok" : al.open === 0 ? "ok" : worst === "critical" ? "critical" : worst === "warning" ? "warning" : "ok";
    const sync = syncBy.get(c.id) ?? unknown;
    const webhooks = webhooksBy.get(c.id) ?? unknown;
    return {
      companyId: c.id,
      companyName: c.name,
      isSandbox: resolveCalcomTarget(c).isSandbox,
      // Fallback mode sends every caller to the manual queue: never "healthy" while it is on.
      health: worstOf(apiHealth, circuitHealth, manualHealth, alertHealth, sync.health, webhooks.health, fallbackBy.get(c.id)?.isActive ? "warning" : "ok"),
      api: { calls: a?.calls ?? 0, successRatePct: rate, p95Ms: a?.p95 == null ? null : Math.round(a.p95), lastCallAt: a?.last_at ?? null, health: apiHealth },
      circuit: {
        state: cb?.state ?? "closed",
        isForcedOpen: cb?.forced ?? false,
        forcedOpenUntil: cb?.forced && cb.forced_open_until ? new Date(cb.forced_open_until).toISOString() : null,
        lastFailureCode: cb?.last_failure_code ?? null,
        health: circuitHealth,
      },
      fallback: fallbackOf(fallbackBy.get(c.id)),
      sync,
      webhooks,
      manualQueue: { waiting: m?.size ?? 0, oldestAgeMinutes: oldest, health: manualHealth },
      alerts: { open: al?.open ?? 0, acknowledged: al?.acked ?? 0, worst, health: alertHealth },
      recentErrors: errors
        .filter((e) => e.company_id === c.id)
        .slice(0, 5)
        .map((e) => ({ code: e.code, title: CAL_CODES[e.code as keyof typeof CAL_CODES]?.title ?? e.code, count: e.n, lastAt: e.last_at })),
    };
  });
}

function fallbackOf(f: FallbackModeView | undefined): CompanyOverview["fallback"] {
  return f?.isActive ? { isActive: true, expiresAt: f.expiresAt?.toISOString() ?? null, reason: f.reason } : { isActive: false, expiresAt: null, reason: null };
}
