import "server-only";
import { sql } from "drizzle-orm";
import type { CircuitState } from "@/drizzle/schema/calcom";
import type { Company } from "@/drizzle/schema/core";
import { DEFAULT_THRESHOLDS, getAllAlertThresholds, type AlertThresholds } from "@/lib/alerts/settings";
import { waitingByCompany } from "@/lib/booking/manual-queue";
import { resolveCalcomTarget } from "@/lib/companies/calcom-target";
import { queryRows, type DbOrTx } from "@/lib/db/types";
import { getSyncStatus, type CompanySyncStatus } from "@/lib/sync/status";
import { getFreshness, type Freshness as WebhookFreshness } from "@/lib/webhooks/settings";
import type { HealthFigures } from "./verdict";

/**
 * The figures the health verdict reads, loaded once for many companies (one aggregate query per source). The
 * overview, the health route, the CLI's health-check and the alert evaluator all start here.
 */

type ApiWindow = {
  calls: number;
  ok: number;
  avgMs: number | null;
  p95Ms: number | null;
  lastAt: string | null;
  windowMinutes: number;
};

/** Real calls per company over that company's own window (alert_settings.window_minutes, default 15). */
export async function loadApiWindows(db: DbOrTx, now: Date): Promise<Map<number, ApiWindow>> {
  const at = now.toISOString();
  // api_calls_company_at serves each company's range; cache hits and CAL-013 refusals never reached Cal.com.
  const rows = await queryRows<{
    company_id: number;
    minutes: number;
    calls: number;
    ok: number;
    avg_ms: number | null;
    p95: number | null;
    last_at: Date | string | null;
  }>(
    db,
    sql`select c.id as company_id, coalesce(s.window_minutes, ${DEFAULT_THRESHOLDS.windowMinutes})::int as minutes,
               count(a.id)::int as calls, (count(a.id) filter (where a.cal_code is null))::int as ok,
               avg(a.duration_ms)::float8 as avg_ms, percentile_cont(0.95) within group (order by a.duration_ms)::float8 as p95, max(a.at) as last_at
        from companies c
        left join alert_settings s on s.company_id = c.id
        left join api_calls a on a.company_id = c.id
          and a.at > ${at}::timestamptz - make_interval(mins => coalesce(s.window_minutes, ${DEFAULT_THRESHOLDS.windowMinutes}))
          and a.at <= ${at}::timestamptz
          and not a.is_cache_hit and (a.cal_code is null or a.cal_code <> 'CAL-013')
        group by c.id, s.window_minutes`,
  );
  return new Map(
    rows.map((r) => [
      Number(r.company_id),
      {
        calls: Number(r.calls),
        ok: Number(r.ok),
        avgMs: r.avg_ms === null ? null : Number(r.avg_ms),
        p95Ms: r.p95 === null ? null : Math.round(Number(r.p95)),
        lastAt: r.last_at ? new Date(r.last_at).toISOString() : null,
        windowMinutes: Number(r.minutes),
      },
    ]),
  );
}

type CircuitNow = HealthFigures["circuit"];

/** A company whose breaker has no row yet: closed, never tripped. */
export const CLOSED_CIRCUIT: CircuitNow = {
  state: "closed",
  isForcedOpen: false,
  forcedOpenUntil: null,
  openedAt: null,
  lastFailureCode: null,
  tripsLastHour: 0,
};

/** Every circuit's state now and its trips (transitions into open) in the last hour. */
export async function loadCircuits(db: DbOrTx, now: Date): Promise<Map<number, CircuitNow>> {
  const at = now.toISOString();
  const rows = await queryRows<{
    company_id: number;
    state: CircuitState | null;
    forced: boolean | null;
    forced_until: Date | string | null;
    opened_at: Date | string | null;
    code: string | null;
    trips: number;
  }>(
    db,
    sql`select c.id as company_id, b.state, coalesce(b.forced_open_until > ${at}::timestamptz, false) as forced, b.forced_open_until as forced_until, b.opened_at, b.last_failure_code as code,
               (select count(*) from circuit_events e where e.company_id = c.id and e.to_state = 'open' and e.from_state <> 'open'
                  and e.at > ${at}::timestamptz - interval '1 hour' and e.at <= ${at}::timestamptz)::int as trips
        from companies c left join circuit_breakers b on b.company_id = c.id`,
  );
  return new Map(
    rows.map((r) => [
      Number(r.company_id),
      {
        state: r.state ?? "closed",
        isForcedOpen: Boolean(r.forced),
        forcedOpenUntil: r.forced && r.forced_until ? new Date(r.forced_until).toISOString() : null,
        openedAt: r.opened_at ? new Date(r.opened_at).toISOString() : null,
        lastFailureCode: r.code,
        tripsLastHour: Number(r.trips),
      },
    ]),
  );
}

/** A company has somewhere to send Cal.com calls: its own URL and key, the environment's, or the sandbox. */
function isCalcomConfigured(company: Company): boolean {
  const target = resolveCalcomTarget(company);
  return target.isConfigured && (target.isSandbox || Boolean(target.apiKey));
}

type CompanyHealthInput = {
  thresholds: AlertThresholds;
  figures: HealthFigures;
  api: ApiWindow;
  sync: CompanySyncStatus | null;
  webhooks: WebhookFreshness | null;
};

const minutesBetween = (from: Date | string, now: Date) =>
  Math.max(0, Math.floor((now.getTime() - new Date(from).getTime()) / 60_000));

/** Thresholds and figures for each company given, keyed by company id. */
export async function loadHealthInputs(
  db: DbOrTx,
  opts: { companies: Company[]; now: Date },
): Promise<Map<number, CompanyHealthInput>> {
  const { now } = opts;
  const [settings, apis, circuits, waiting, syncStatus, webhooks] = await Promise.all([
    getAllAlertThresholds(db),
    loadApiWindows(db, now),
    loadCircuits(db, now),
    waitingByCompany(db),
    getSyncStatus(db, { now }),
    getFreshness(db, { now }),
  ]);
  const out = new Map<number, CompanyHealthInput>();
  for (const c of opts.companies) {
    const thresholds = settings.get(c.id) ?? DEFAULT_THRESHOLDS;
    const api = apis.get(c.id) ?? {
      calls: 0,
      ok: 0,
      avgMs: null,
      p95Ms: null,
      lastAt: null,
      windowMinutes: thresholds.windowMinutes,
    };
    const w = waiting.get(c.id);
    const sync = syncStatus.companies.find((s) => s.company_id === c.id) ?? null;
    const hook = webhooks.find((f) => f.companyId === c.id) ?? null;
    out.set(c.id, {
      thresholds,
      api,
      sync,
      webhooks: hook,
      figures: {
        isConfigured: isCalcomConfigured(c),
        api: { calls: api.calls, ok: api.ok, avgMs: api.avgMs },
        circuit: circuits.get(c.id) ?? CLOSED_CIRCUIT,
        timeZone: c.timeZone,
        manualQueue: { waiting: w?.size ?? 0, oldestAgeMinutes: w ? minutesBetween(w.oldest, now) : null },
        sync: {
          isScheduled: sync?.is_schedule_enabled ?? false,
          isAttempted: Boolean(sync?.last_run),
          ageMinutes: sync?.last_sync ? (now.getTime() - new Date(sync.last_sync).getTime()) / 60_000 : null,
          intervalMinutes: sync?.interval_minutes ?? null,
          lastRunStatus: sync?.last_run?.status ?? null,
          companyAgeMinutes: minutesBetween(c.createdAt, now),
        },
        webhooks: {
          isSilent: hook?.isSilent ?? false,
          lastVerifiedAt: hook?.lastVerifiedAt?.toISOString() ?? null,
          silenceThresholdMinutes: hook?.silenceThresholdMinutes ?? 0,
        },
      },
    });
  }
  return out;
}
