import "server-only";
import * as clock from "@/lib/time/clock";
import { sql } from "drizzle-orm";
import type { AlertSeverity } from "@/drizzle/schema/alerts";
import type { CircuitState } from "@/drizzle/schema/calcom";
import { CAL_CODES } from "@/lib/calcom/errors";
import { listFallbackModes, type FallbackModeView } from "@/lib/booking/fallback-mode";
import { resolveCalcomTarget } from "@/lib/companies/calcom-target";
import { listCompanyRows } from "@/lib/companies/companies";
import { queryRows } from "@/lib/db/types";
import type { Db } from "@/lib/db/types";
import { loadHealthInputs } from "@/lib/health/figures";
import {
  healthVerdict,
  successRatePct,
  type HealthStatus,
  type Reason,
  type RuleKind,
  type Thresholds,
  type Verdict,
} from "@/lib/health/verdict";
import { errorsByCode } from "@/lib/metrics/rollup-metrics";
import type { Freshness } from "./freshness";
import { syncFreshnessOf } from "./sync-freshness";
import { webhookFreshnessOf } from "./webhook-freshness";

export type Health = "ok" | "warning" | "critical" | "unknown";

export type CompanyOverview = {
  companyId: number;
  companyName: string;
  isSandbox: boolean;
  /** False: no Cal.com URL and no sandbox; the tile says "Cal.com not configured". */
  isConfigured: boolean;
  /** The verdict's status as a tile colour; `verdict` holds the status and its reasons. */
  health: Health;
  verdict: Verdict;
  thresholds: Thresholds;
  api: {
    calls: number;
    windowMinutes: number;
    successRatePct: number | null;
    avgMs: number | null;
    p95Ms: number | null;
    lastCallAt: string | null;
    health: Health;
  };
  circuit: {
    state: CircuitState;
    isForcedOpen: boolean;
    forcedOpenUntil: string | null;
    lastFailureCode: string | null;
    tripsLastHour: number;
    health: Health;
  };
  /** Fallback mode: every caller is sent to the manual queue instead of Cal.com. */
  fallback: { isActive: boolean; expiresAt: string | null; reason: string | null };
  sync: Freshness;
  webhooks: Freshness;
  manualQueue: { waiting: number; oldestAgeMinutes: number | null; health: Health };
  alerts: { open: number; acknowledged: number; worst: AlertSeverity | null; health: Health };
  recentErrors: { code: string; title: string; count: number; lastAt: string }[];
};

const STATUS_HEALTH: Record<HealthStatus, Health> = {
  healthy: "ok",
  degraded: "warning",
  down: "critical",
  not_configured: "unknown",
};

/** One line of the tile: the worst of the verdict's reasons for these rules. */
function healthOf(reasons: Reason[], rules: RuleKind[]): Health {
  const mine = reasons.filter((r) => rules.includes(r.rule));
  return mine.some((r) => r.severity === "critical") ? "critical" : mine.length ? "warning" : "ok";
}

/**
 * Is Cal.com healthy for each company, and if not, why: the health verdict (lib/health) over each company's own
 * thresholds, the figures behind it, open alerts, and the last 24 hours' errors by CAL code (from the rollups).
 */
export async function getOverview(db: Db, opts: { companyId?: number; now?: Date } = {}): Promise<CompanyOverview[]> {
  const now = opts.now ?? clock.now();
  const rows = (await listCompanyRows(db)).filter((c) => !opts.companyId || c.id === opts.companyId);
  if (!rows.length) return [];
  const ids = rows.map((c) => c.id);
  const idList = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

  const [inputs, alertRows, errors] = await Promise.all([
    loadHealthInputs(db, { companies: rows, now }),
    queryRows<{ company_id: number; open: number; acked: number; worst: number }>(
      db,
      sql`select company_id, (count(*) filter (where status = 'open'))::int as open,
                 (count(*) filter (where status = 'acknowledged'))::int as acked,
                 max(case severity when 'critical' then 3 when 'warning' then 2 else 1 end)::int as worst
          from alerts where company_id in (${idList}) and status <> 'resolved' group by company_id`,
    ),
    errorsByCode(db, { companyIds: ids, from: new Date(now.getTime() - 86_400_000) }),
  ]);
  const fallbackBy = new Map((await listFallbackModes(db, {}, now)).map((f) => [f.companyId, f]));
  const alertsBy = new Map(alertRows.map((r) => [r.company_id, r]));
  const unknown: Freshness = {
    lastAt: null,
    ageMinutes: null,
    expectedMinutes: null,
    health: "unknown",
    summary: "not recorded yet",
  };

  return rows.map((c) => {
    const input = inputs.get(c.id)!;
    const { figures: f, api } = input;
    const verdict = healthVerdict(input.thresholds, f);
    const al = alertsBy.get(c.id);
    const worst: AlertSeverity | null = !al ? null : al.worst === 3 ? "critical" : al.worst === 2 ? "warning" : "info";
    const alertHealth: Health =
      !al || al.open === 0 ? "ok" : worst === "critical" ? "critical" : worst === "warning" ? "warning" : "ok";
    const apiHealth = healthOf(verdict.reasons, ["api_success_rate", "api_latency"]);
    const { notifyEmail: _e, notifyWebhookUrl: _w, ...thresholds } = input.thresholds;
    return {
      companyId: c.id,
      companyName: c.name,
      isSandbox: resolveCalcomTarget(c).isSandbox,
      isConfigured: resolveCalcomTarget(c).isConfigured,
      // Fallback mode sends every caller to the manual queue: never "healthy" while it is on.
      health:
        fallbackBy.get(c.id)?.isActive && verdict.status === "healthy" ? "warning" : STATUS_HEALTH[verdict.status],
      verdict,
      thresholds,
      api: {
        calls: api.calls,
        windowMinutes: api.windowMinutes,
        successRatePct: successRatePct(api),
        avgMs: api.avgMs === null ? null : Math.round(api.avgMs),
        p95Ms: api.p95Ms,
        lastCallAt: api.lastAt,
        health: api.calls === 0 && apiHealth === "ok" ? "unknown" : apiHealth,
      },
      circuit: {
        state: f.circuit.state,
        isForcedOpen: f.circuit.isForcedOpen,
        forcedOpenUntil: f.circuit.forcedOpenUntil,
        lastFailureCode: f.circuit.lastFailureCode,
        tripsLastHour: f.circuit.tripsLastHour,
        health: healthOf(verdict.reasons, ["circuit_open", "circuit_half_open", "circuit_trips"]),
      },
      fallback: fallbackOf(fallbackBy.get(c.id)),
      sync: input.sync ? syncFreshnessOf(input.sync, now, healthOf(verdict.reasons, ["sync_stale"])) : unknown,
      webhooks: input.webhooks
        ? webhookFreshnessOf(input.webhooks, now, healthOf(verdict.reasons, ["webhook_silence"]))
        : unknown,
      manualQueue: {
        waiting: f.manualQueue.waiting,
        oldestAgeMinutes: f.manualQueue.oldestAgeMinutes,
        health: healthOf(verdict.reasons, ["manual_queue_age"]),
      },
      alerts: { open: al?.open ?? 0, acknowledged: al?.acked ?? 0, worst, health: alertHealth },
      recentErrors: errors
        .filter((e) => e.companyId === c.id)
        .slice(0, 5)
        .map((e) => ({
          code: e.code,
          title: CAL_CODES[e.code as keyof typeof CAL_CODES]?.title ?? e.code,
          count: e.count,
          lastAt: e.lastAt,
        })),
    };
  });
}

function fallbackOf(f: FallbackModeView | undefined): CompanyOverview["fallback"] {
  return f?.isActive
    ? { isActive: true, expiresAt: f.expiresAt?.toISOString() ?? null, reason: f.reason }
    : { isActive: false, expiresAt: null, reason: null };
}
