import { formatLocal, formatMinutes } from "@/lib/time/format";
import type { AlertSeverity } from "@/drizzle/schema/alerts";
import type { CircuitState } from "@/drizzle/schema/calcom";
import type { AlertThresholds } from "@/lib/alerts/settings";

/**
 * The one definition of "is Cal.com healthy for this company": a company's thresholds (its alert settings) applied
 * to its current figures. The overview, GET /api/health/calcom, the CLI's health-check, the metrics panel and the
 * alert evaluator all call these rules, so a tile and an alert cannot disagree. Pure: figures come from
 * lib/health/figures.ts.
 */
export type HealthStatus = "healthy" | "degraded" | "down" | "not_configured";
export type RuleKind =
  | "api_success_rate"
  | "api_latency"
  | "circuit_open"
  | "circuit_half_open"
  | "circuit_trips"
  | "manual_queue_age"
  | "sync_stale"
  | "webhook_silence";
export type Reason = { rule: RuleKind; severity: Exclude<AlertSeverity, "info">; message: string };
export type Verdict = { status: HealthStatus; reasons: Reason[] };
export type Thresholds = Omit<AlertThresholds, "notifyEmail" | "notifyWebhookUrl">;

export type HealthFigures = {
  /** A Cal.com target (URL and key, or the sandbox) exists for the company. */
  isConfigured: boolean;
  /** Real calls over the company's window (thresholds.windowMinutes): cache hits and CAL-013 refusals left out. */
  api: { calls: number; ok: number; avgMs: number | null };
  circuit: {
    state: CircuitState;
    isForcedOpen: boolean;
    forcedOpenUntil: string | null;
    openedAt: string | null;
    lastFailureCode: string | null;
    tripsLastHour: number;
  };
  /** The company's time zone: times in messages are shown in it (lib/time/format). */
  timeZone: string;
  manualQueue: { waiting: number; oldestAgeMinutes: number | null };
  /** Live sync on a schedule that has been attempted; ageMinutes of the last success (null: none yet). */
  sync: {
    isScheduled: boolean;
    isAttempted: boolean;
    ageMinutes: number | null;
    intervalMinutes: number | null;
    lastRunStatus: string | null;
    companyAgeMinutes: number;
  };
  webhooks: { isSilent: boolean; lastVerifiedAt: string | null; silenceThresholdMinutes: number };
};

/** A rule's outcome: breached or not, how bad, and the sentence an operator reads (tile, alert, CLI). */
export type RuleResult = {
  rule: RuleKind;
  isBreached: boolean;
  severity: Reason["severity"];
  title: string;
  message: string;
};

const round1 = (n: number) => Math.round(n * 10) / 10;

export function successRatePct(api: HealthFigures["api"]): number | null {
  return api.calls > 0 ? round1((api.ok / api.calls) * 100) : null;
}

export function apiRules(t: Thresholds, api: HealthFigures["api"]): RuleResult[] {
  const rate = successRatePct(api);
  // Below minCalls the rate means nothing: the rule clears rather than flapping on a handful of calls.
  const enough = api.calls >= t.minCalls;
  const avg = api.avgMs === null ? null : Math.round(api.avgMs);
  return [
    {
      rule: "api_success_rate",
      isBreached: enough && rate !== null && rate < t.successRateMinPct,
      severity: rate !== null && rate < t.successRateMinPct - 20 ? "critical" : "warning",
      title: "Cal.com API success rate low",
      message: `${rate ?? 100}% of ${api.calls} calls succeeded in the last ${t.windowMinutes} min (threshold ${t.successRateMinPct}%).`,
    },
    {
      rule: "api_latency",
      isBreached: enough && avg !== null && avg > t.avgLatencyMaxMs,
      severity: "warning",
      title: "Cal.com API slow",
      message: `Average latency ${avg ?? 0} ms over ${api.calls} calls in the last ${t.windowMinutes} min (threshold ${t.avgLatencyMaxMs} ms).`,
    },
  ];
}

export function circuitRules(t: Thresholds, c: HealthFigures["circuit"], timeZone = "UTC"): RuleResult[] {
  const at = (iso: string | null) => (iso ? formatLocal(new Date(iso), timeZone) : "an unknown time");
  return [
    {
      rule: "circuit_open",
      isBreached: c.state === "open",
      // Held open by an operator or not, calls are refused and bookings go to the manual queue: down.
      severity: "critical",
      title: c.isForcedOpen ? "Circuit held open by an operator" : "Circuit open: Cal.com calls paused",
      message:
        c.state !== "open"
          ? "Circuit closed."
          : c.isForcedOpen
            ? `Held open by an operator until ${at(c.forcedOpenUntil)}; Cal.com calls are refused and bookings go to the manual queue.`
            : `Open since ${at(c.openedAt)}${c.lastFailureCode ? ` after ${c.lastFailureCode}` : ""}; bookings go to the manual queue.`,
    },
    {
      rule: "circuit_half_open",
      isBreached: c.state === "half_open",
      severity: "warning",
      title: "Circuit half-open",
      message: "Trial calls are testing whether Cal.com has recovered.",
    },
    {
      rule: "circuit_trips",
      isBreached: c.tripsLastHour > t.circuitTripsPerHourMax,
      severity: "critical",
      title: "Circuit breaker tripping",
      message: `The circuit opened ${c.tripsLastHour} times in the last hour (threshold ${t.circuitTripsPerHourMax}).`,
    },
  ];
}

export function manualQueueRule(t: Thresholds, m: HealthFigures["manualQueue"]): RuleResult {
  const age = m.oldestAgeMinutes ?? 0;
  const max = t.manualQueueMaxAgeMinutes;
  return {
    rule: "manual_queue_age",
    isBreached: m.waiting > 0 && age > max,
    severity: age > max * 4 ? "critical" : "warning",
    title: "Bookings waiting for manual booking",
    message:
      m.waiting > 0
        ? `${m.waiting} waiting; the oldest for ${age} min (threshold ${max} min).`
        : "The manual queue is empty.",
  };
}

export function syncRule(t: Thresholds, s: HealthFigures["sync"]): RuleResult {
  const max = t.syncStaleMinutes;
  return {
    rule: "sync_stale",
    // A company that never attempted a sync (no team configured) has nothing to be stale about.
    // Never succeeded: stale only once the company has existed longer than the threshold (a fresh install's first
    // sync may still be running a minute after the start).
    isBreached:
      s.isScheduled && s.isAttempted && (s.ageMinutes === null ? s.companyAgeMinutes > max : s.ageMinutes > max),
    severity: "warning",
    title: "Event-type sync stale",
    message:
      s.ageMinutes === null
        ? `No live event-type sync has succeeded yet; last run ${s.lastRunStatus ?? "none"}.`
        : `Last successful sync ${formatMinutes(Math.round(s.ageMinutes))} ago (threshold ${formatMinutes(max)}, expected every ${formatMinutes(s.intervalMinutes ?? 0)}).`,
  };
}

export function webhookRule(w: HealthFigures["webhooks"], timeZone = "UTC"): RuleResult {
  return {
    rule: "webhook_silence",
    isBreached: w.isSilent,
    severity: "warning",
    title: "No Cal.com webhooks arriving",
    message: w.lastVerifiedAt
      ? `No verified webhook since ${formatLocal(new Date(w.lastVerifiedAt), timeZone)} (threshold ${formatMinutes(w.silenceThresholdMinutes)}) while bookings exist.`
      : "No verified webhook ever received while bookings exist. Check the subscription URL and secret in Cal.com.",
  };
}

function evaluateRules(t: Thresholds, f: HealthFigures): RuleResult[] {
  return [
    ...apiRules(t, f.api),
    ...circuitRules(t, f.circuit, f.timeZone),
    manualQueueRule(t, f.manualQueue),
    syncRule(t, f.sync),
    webhookRule(f.webhooks, f.timeZone),
  ];
}

/** Worst breached rule decides: critical = down, warning = degraded; no Cal.com target = not_configured. */
export function healthVerdict(t: Thresholds, f: HealthFigures): Verdict {
  if (!f.isConfigured) return { status: "not_configured", reasons: [] };
  const reasons = evaluateRules(t, f)
    .filter((r) => r.isBreached)
    .map(({ rule, severity, message }) => ({ rule, severity, message }));
  const status = reasons.some((r) => r.severity === "critical") ? "down" : reasons.length ? "degraded" : "healthy";
  return { status, reasons };
}

/** Several companies at once (the health route's top line): down only when all are down. */
export function overallStatus(statuses: HealthStatus[]): Exclude<HealthStatus, "not_configured"> {
  const configured = statuses.filter((s) => s !== "not_configured");
  if (configured.length > 0 && configured.every((s) => s === "down")) return "down";
  return configured.some((s) => s !== "healthy") ? "degraded" : "healthy";
}

/** The metrics panel's marks for a window's figures, against the same thresholds (the server sends them). */
export function assessWindow(
  t: Thresholds,
  s: { successRate: number | null; avgMs: number | null; maxCircuitTripsPerHour: number },
) {
  return {
    isSuccessRateLow: s.successRate !== null && s.successRate * 100 < t.successRateMinPct,
    isLatencyHigh: s.avgMs !== null && s.avgMs > t.avgLatencyMaxMs,
    isTrippingOften: s.maxCircuitTripsPerHour > t.circuitTripsPerHourMax,
  };
}
