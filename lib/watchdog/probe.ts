import "server-only";
import { sql } from "drizzle-orm";
import type { AlertSeverity } from "@/drizzle/schema/alerts";
import { push, type Finding, type Probe } from "@/lib/alerts/probe";
import { queryRows } from "@/lib/db/types";
import { sweepOverdueExpectations } from "./expectations";

/**
 * Alerts of the expected-webhook watchdog, per company, over the last WINDOW_HOURS: expected webhooks that never came
 * (missed), webhooks with another trigger than our change should cause (wrong_trigger), cancels and reschedules of
 * our bookings that we did not make (unexpected), and a drifted subscription (last check). Each clears by itself.
 */
export const WATCHDOG_WINDOW_HOURS = 24;

type Row = {
  company_id: number;
  status: string;
  n: number;
  latest_uid: string;
  latest_trigger: string | null;
  latest_at: string;
};

const KINDS: Record<string, { kind: string; severity: AlertSeverity; title: string; describe: (r: Row) => string }> = {
  missed: {
    kind: "webhook_missing",
    severity: "warning",
    title: "Expected Cal.com webhook missing",
    describe: (r) =>
      `${r.n} webhook(s) our own changes should have caused did not arrive within the deadline in the last ${WATCHDOG_WINDOW_HOURS} h (latest for booking ${r.latest_uid}). Check the subscription and Cal.com's delivery.`,
  },
  wrong_trigger: {
    kind: "webhook_wrong_trigger",
    severity: "warning",
    title: "Cal.com webhook with an unexpected trigger",
    describe: (r) =>
      `${r.n} change(s) we made came back with another trigger in the last ${WATCHDOG_WINDOW_HOURS} h (latest ${r.latest_trigger ?? "?"} for booking ${r.latest_uid}).`,
  },
  unexpected: {
    kind: "webhook_unexpected_change",
    severity: "info",
    title: "Booking changed outside our platform",
    describe: (r) =>
      `${r.n} cancel(s) or reschedule(s) of our bookings that we did not request in the last ${WATCHDOG_WINDOW_HOURS} h (latest ${r.latest_trigger ?? "?"} for booking ${r.latest_uid}).`,
  },
};

export const watchdogProbe: Probe = async ({ db, companyIds, now }) => {
  await sweepOverdueExpectations(db, now);
  const rows = await queryRows<Row>(
    db,
    sql`select distinct on (company_id, status) company_id, status, count(*) over (partition by company_id, status)::int as n,
               booking_uid as latest_uid, actual_trigger as latest_trigger, created_at as latest_at
        from webhook_expectations
        where status in ('missed', 'wrong_trigger', 'unexpected') and created_at > ${now.toISOString()}::timestamptz - make_interval(hours => ${WATCHDOG_WINDOW_HOURS})
        order by company_id, status, id desc`,
  );
  const checks = await queryRows<{
    company_id: number;
    is_ok: boolean;
    issues: { code: string; message: string }[];
    checked_at: string;
  }>(db, sql`select company_id, is_ok, issues, checked_at from webhook_subscription_checks`);
  const out = new Map<number, Finding[]>();
  for (const companyId of companyIds) {
    for (const [status, k] of Object.entries(KINDS)) {
      const r = rows.find((x) => x.company_id === companyId && x.status === status);
      push(out, companyId, {
        kind: k.kind,
        active: Boolean(r),
        severity: k.severity,
        title: k.title,
        message: r ? k.describe(r) : "None.",
        details: r
          ? { count: r.n, latestBookingUid: r.latest_uid, latestTrigger: r.latest_trigger, latestAt: r.latest_at }
          : {},
      });
    }
    const c = checks.find((x) => x.company_id === companyId);
    push(out, companyId, {
      kind: "webhook_subscription_drift",
      active: Boolean(c && !c.is_ok),
      severity: "warning",
      title: "Cal.com webhook subscription drifted",
      message: c && !c.is_ok ? c.issues.map((i) => i.message).join(" ") : "The subscription matches.",
      details: c ? { checkedAt: c.checked_at, issues: c.issues } : {},
    });
  }
  return out;
};
