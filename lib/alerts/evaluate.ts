import "server-only";
import { sql } from "drizzle-orm";
import { waitingByCompany } from "@/lib/booking/manual-queue";
import type { Db } from "@/lib/db/types";
import { queryRows } from "@/lib/db/types";
import { formatLocal } from "@/lib/time/format";
import { raiseAlert, resolveAlert } from "./alerts";
import { syncStaleProbe, webhookSilenceProbe } from "./freshness-probes";
import { push, type Finding, type Probe } from "./probe";
import { DEFAULT_THRESHOLDS, getAllAlertThresholds, type AlertThresholds } from "./settings";

/**
 * API success rate and average latency over each company's window. Cache hits and local refusals (circuit open,
 * CAL-013) never reached Cal.com and are left out. Below minCalls calls the rate means nothing and clears.
 */
export const apiProbe: Probe = async ({ db, companyIds, thresholds, now }) => {
  const out = new Map<number, Finding[]>();
  const at = now.toISOString();
  // One aggregate per company over its own window (api_calls_company_at serves each range).
  const rows = await queryRows<{ company_id: number; calls: number; ok: number; avg_ms: number }>(
    db,
    sql`select c.id as company_id, count(a.id)::int as calls, (count(a.id) filter (where a.cal_code is null))::int as ok,
               coalesce(avg(a.duration_ms), 0)::float8 as avg_ms
        from companies c
        left join alert_settings s on s.company_id = c.id
        left join api_calls a on a.company_id = c.id
          and a.at > ${at}::timestamptz - make_interval(mins => coalesce(s.window_minutes, ${DEFAULT_THRESHOLDS.windowMinutes}))
          and a.at <= ${at}::timestamptz
          and not a.is_cache_hit and (a.cal_code is null or a.cal_code <> 'CAL-013')
        group by c.id`,
  );
  const by = new Map(rows.map((r) => [r.company_id, r]));
  for (const companyId of companyIds) {
    const t = thresholds(companyId);
    const r = by.get(companyId);
    const calls = r?.calls ?? 0;
    const enough = calls >= t.minCalls;
    const rate = calls ? ((r?.ok ?? 0) / calls) * 100 : 100;
    const avg = r?.avg_ms ?? 0;
    const details = { calls, windowMinutes: t.windowMinutes, successRatePct: round(rate), avgLatencyMs: Math.round(avg) };
    push(out, companyId, {
      kind: "api_success_rate",
      active: enough && rate < t.successRateMinPct,
      severity: rate < t.successRateMinPct - 20 ? "critical" : "warning",
      title: "Cal.com API success rate low",
      message: `${round(rate)}% of ${calls} calls succeeded in the last ${t.windowMinutes} min (threshold ${t.successRateMinPct}%).`,
      details: { ...details, thresholdPct: t.successRateMinPct },
    });
    push(out, companyId, {
      kind: "api_latency",
      active: enough && avg > t.avgLatencyMaxMs,
      severity: "warning",
      title: "Cal.com API slow",
      message: `Average latency ${Math.round(avg)} ms over ${calls} calls in the last ${t.windowMinutes} min (threshold ${t.avgLatencyMaxMs} ms).`,
      details: { ...details, thresholdMs: t.avgLatencyMaxMs },
    });
  }
  return out;
};

/** Circuit trips (transitions to open) in the last hour, and a circuit that is open right now. */
export const circuitProbe: Probe = async ({ db, companyIds, thresholds, now }) => {
  const out = new Map<number, Finding[]>();
  const trips = await queryRows<{ company_id: number; n: number }>(
    db,
    sql`select company_id, count(*)::int as n from circuit_events
        where to_state = 'open' and at > ${now.toISOString()}::timestamptz - interval '1 hour'
        group by company_id`,
  );
  const open = await queryRows<{ company_id: number; opened_at: string | null; last_failure_code: string | null; forced: boolean; forced_open_until: string | null; time_zone: string }>(
    db,
    sql`select b.company_id, b.opened_at, b.last_failure_code, coalesce(b.forced_open_until > now(), false) as forced, b.forced_open_until, c.time_zone
        from circuit_breakers b join companies c on c.id = b.company_id where b.state = 'open'`,
  );
  const tripsBy = new Map(trips.map((r) => [r.company_id, r.n]));
  const openBy = new Map(open.map((r) => [r.company_id, r]));
  for (const companyId of companyIds) {
    const n = tripsBy.get(companyId) ?? 0;
    const max = thresholds(companyId).circuitTripsPerHourMax;
    push(out, companyId, {
      kind: "circuit_trips",
      active: n > max,
      severity: "critical",
      title: "Circuit breaker tripping",
      message: `The circuit opened ${n} times in the last hour (threshold ${max}).`,
      details: { tripsLastHour: n, threshold: max },
    });
    const o = openBy.get(companyId);
    push(out, companyId, {
      kind: "circuit_open",
      active: Boolean(o),
      severity: o?.forced ? "warning" : "critical",
      title: o?.forced ? "Circuit held open by an operator" : "Circuit open: Cal.com calls paused",
      message: !o
        ? "Circuit closed."
        : o.forced && o.forced_open_until
          ? `Held open by an operator until ${formatLocal(new Date(o.forced_open_until), o.time_zone)}; Cal.com calls are refused and bookings go to the manual queue.`
          : `Open since ${o.opened_at ? formatLocal(new Date(o.opened_at), o.time_zone) : "an unknown time"}${o.last_failure_code ? ` after ${o.last_failure_code}` : ""}; bookings go to the manual queue.`,
      details: o ? { openedAt: o.opened_at, lastFailureCode: o.last_failure_code, forced: o.forced, forcedOpenUntil: o.forced_open_until } : {},
    });
  }
  return out;
};

/** The oldest request waiting in the manual booking queue. */
export const manualQueueProbe: Probe = async ({ db, companyIds, thresholds, now }) => {
  const out = new Map<number, Finding[]>();
  const waiting = await waitingByCompany(db);
  for (const companyId of companyIds) {
    const w = waiting.get(companyId);
    const max = thresholds(companyId).manualQueueMaxAgeMinutes;
    const ageMin = w ? Math.floor((now.getTime() - w.oldest.getTime()) / 60_000) : 0;
    push(out, companyId, {
      kind: "manual_queue_age",
      active: Boolean(w) && ageMin > max,
      severity: ageMin > max * 4 ? "critical" : "warning",
      title: "Bookings waiting for manual booking",
      message: w ? `${w.size} waiting; the oldest for ${ageMin} min (threshold ${max} min).` : "The manual queue is empty.",
      details: w ? { waiting: w.size, oldestAgeMinutes: ageMin, thresholdMinutes: max } : {},
    });
  }
  return out;
};

const round = (n: number) => Math.round(n * 10) / 10;

export type EvaluationResult = { opened: { companyId: number; kind: string; alertId: number }[]; resolved: number; active: number };

/**
 * Evaluate every condition for every company: open (or refresh) the alerts whose condition holds, resolve the ones
 * whose condition cleared. Run every minute by the job queue; idempotent, so a second instance running it is harmless.
 */
export async function evaluateAlerts(db: Db, opts: { now?: Date; probes?: Probe[]; onOpened?: OnOpened } = {}): Promise<EvaluationResult> {
  const now = opts.now ?? new Date();
  const companyRows = await queryRows<{ id: number }>(db, sql`select id from companies order by id`);
  const companyIds = companyRows.map((r) => r.id);
  const result: EvaluationResult = { opened: [], resolved: 0, active: 0 };
  if (!companyIds.length) return result;
  const settings = await getAllAlertThresholds(db);
  const thresholds = (id: number) => settings.get(id) ?? DEFAULT_THRESHOLDS;
  const probes = opts.probes ?? [apiProbe, circuitProbe, manualQueueProbe, webhookSilenceProbe, syncStaleProbe];
  for (const probe of probes) {
    const findings = await probe({ db, companyIds, thresholds, now });
    for (const [companyId, list] of findings) {
      for (const f of list) {
        if (f.active) {
          result.active++;
          const { alert, opened } = await raiseAlert(db, {
            companyId,
            kind: f.kind,
            key: f.key,
            severity: f.severity,
            title: f.title,
            message: f.message,
            details: f.details,
          });
          if (opened) {
            result.opened.push({ companyId, kind: f.kind, alertId: alert.id });
            await opts.onOpened?.(db, alert.id, thresholds(companyId));
          }
        } else if (await resolveAlert(db, { companyId, kind: f.kind, key: f.key })) {
          result.resolved++;
        }
      }
    }
  }
  return result;
}

export type OnOpened = (db: Db, alertId: number, thresholds: AlertThresholds) => Promise<void>;
