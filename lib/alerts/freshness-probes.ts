import "server-only";
import { companies } from "@/drizzle/schema/core";
import { getSyncStatus } from "@/lib/sync/status";
import { getFreshness } from "@/lib/webhooks/settings";
import { syncRule, webhookRule } from "@/lib/health/verdict";
import { finding, push, type Finding, type Probe } from "./probe";

/** No verified webhook within the company's silence threshold (Webhooks panel setting) while bookings exist. */
export const webhookSilenceProbe: Probe = async ({ db, companyIds, now }) => {
  const out = new Map<number, Finding[]>();
  for (const f of await getFreshness(db, { now })) {
    if (!companyIds.includes(f.companyId)) continue;
    const r = webhookRule({
      isSilent: f.isSilent,
      lastVerifiedAt: f.lastVerifiedAt?.toISOString() ?? null,
      silenceThresholdMinutes: f.silenceThresholdMinutes,
    });
    push(
      out,
      f.companyId,
      finding(r, {
        lastVerifiedAt: f.lastVerifiedAt,
        lastDeliveryAt: f.lastDeliveryAt,
        thresholdMinutes: f.silenceThresholdMinutes,
      }),
    );
  }
  return out;
};

/** No successful live event-type sync within the alert threshold, for companies with a Cal.com team and a schedule. */
export const syncStaleProbe: Probe = async ({ db, companyIds, thresholds, now }) => {
  const out = new Map<number, Finding[]>();
  const status = await getSyncStatus(db, { now });
  const created = new Map(
    (await db.select({ id: companies.id, createdAt: companies.createdAt }).from(companies)).map((c) => [
      c.id,
      c.createdAt.getTime(),
    ]),
  );
  for (const c of status.companies) {
    if (!companyIds.includes(c.company_id)) continue;
    const max = thresholds(c.company_id).syncStaleMinutes;
    const age = c.last_sync ? (now.getTime() - new Date(c.last_sync).getTime()) / 60_000 : null;
    const r = syncRule(thresholds(c.company_id), {
      isScheduled: c.is_schedule_enabled,
      isAttempted: c.last_run !== null,
      ageMinutes: age,
      intervalMinutes: c.interval_minutes,
      lastRunStatus: c.last_run?.status ?? null,
      companyAgeMinutes: (now.getTime() - (created.get(c.company_id) ?? now.getTime())) / 60_000,
    });
    push(
      out,
      c.company_id,
      finding(r, {
        lastSync: c.last_sync,
        thresholdMinutes: max,
        lastRun: c.last_run,
        syncErrors: c.sync_errors.slice(0, 3),
      }),
    );
  }
  return out;
};
