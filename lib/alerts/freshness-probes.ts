import "server-only";
import { companies } from "@/drizzle/schema/core";
import { getSyncStatus } from "@/lib/sync/status";
import { formatMinutes } from "@/lib/time/format";
import { getFreshness } from "@/lib/webhooks/settings";
import { push, type Finding, type Probe } from "./probe";

/** No verified webhook within the company's silence threshold (Webhooks panel setting) while bookings exist. */
export const webhookSilenceProbe: Probe = async ({ db, companyIds, now }) => {
  const out = new Map<number, Finding[]>();
  for (const f of await getFreshness(db, { now })) {
    if (!companyIds.includes(f.companyId)) continue;
    push(out, f.companyId, {
      kind: "webhook_silence",
      active: f.isSilent,
      severity: "warning",
      title: "No Cal.com webhooks arriving",
      message: f.lastVerifiedAt
        ? `No verified webhook since ${f.lastVerifiedAt.toISOString()} (threshold ${formatMinutes(f.silenceThresholdMinutes)}) while bookings exist.`
        : `No verified webhook ever received while bookings exist. Check the subscription URL and secret in Cal.com.`,
      details: { lastVerifiedAt: f.lastVerifiedAt, lastDeliveryAt: f.lastDeliveryAt, thresholdMinutes: f.silenceThresholdMinutes },
    });
  }
  return out;
};

/** No successful live event-type sync within the alert threshold, for companies with a Cal.com team and a schedule. */
export const syncStaleProbe: Probe = async ({ db, companyIds, thresholds, now }) => {
  const out = new Map<number, Finding[]>();
  const status = await getSyncStatus(db, { now });
  const created = new Map(
    (await db.select({ id: companies.id, createdAt: companies.createdAt }).from(companies)).map((c) => [c.id, c.createdAt.getTime()]),
  );
  for (const c of status.companies) {
    if (!companyIds.includes(c.company_id)) continue;
    const max = thresholds(c.company_id).syncStaleMinutes;
    const age = c.last_sync ? (now.getTime() - new Date(c.last_sync).getTime()) / 60_000 : null;
    // A company that never attempted a sync (no team configured) has nothing to be stale about.
    const attempted = c.last_run !== null;
    // Never succeeded: stale only once the company has existed longer than the threshold (a fresh install's first
    // sync is still running a minute after the start).
    const neverSucceededFor = (now.getTime() - (created.get(c.company_id) ?? now.getTime())) / 60_000;
    push(out, c.company_id, {
      kind: "sync_stale",
      active: c.is_schedule_enabled && attempted && (age === null ? neverSucceededFor > max : age > max),
      severity: "warning",
      title: "Event-type sync stale",
      message:
        age === null
          ? `No live event-type sync has succeeded yet; last run ${c.last_run?.status ?? "none"}.`
          : `Last successful sync ${Math.round(age)} min ago (threshold ${max} min, expected every ${c.interval_minutes} min).`,
      details: { lastSync: c.last_sync, thresholdMinutes: max, lastRun: c.last_run, syncErrors: c.sync_errors.slice(0, 3) },
    });
  }
  return out;
};
