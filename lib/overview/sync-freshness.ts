import "server-only";
import { plural } from "@/lib/time/format";
import type { Db } from "@/lib/db/types";
import { getSyncStatus } from "@/lib/sync/status";
import { ageLabel, minutesSince, type Freshness } from "./freshness";

/**
 * Last successful live sync against the company's interval: critical when the last live run aborted or failed
 * (the incident's pattern), warning when none succeeded within twice the interval.
 */
export async function loadSyncFreshness(db: Db, companyIds: number[], now: Date): Promise<Map<number, Freshness>> {
  const status = await getSyncStatus(db, { now });
  const out = new Map<number, Freshness>();
  for (const c of status.companies) {
    if (!companyIds.includes(c.company_id)) continue;
    const age = minutesSince(c.last_sync, now);
    const lastLiveFailed = c.sync_errors.length > 0 && c.sync_errors[0]!.run_id === c.last_run?.id;
    const expected = c.is_schedule_enabled ? `expected every ${c.interval_minutes} min` : "schedule off";
    const health = lastLiveFailed ? "critical" : c.last_run === null && age === null ? "unknown" : c.is_stale && c.is_schedule_enabled ? "warning" : "ok";
    const last = age === null ? "no successful sync yet" : `last successful sync ${ageLabel(age)}`;
    const failure = lastLiveFailed ? `; last run ${c.sync_errors[0]!.status}: ${c.sync_errors[0]!.reason ?? "see the run"}` : "";
    const review = c.pending_review ? `; ${plural(c.pending_review, "service")} to review` : "";
    out.set(c.company_id, {
      lastAt: c.last_sync,
      ageMinutes: age,
      expectedMinutes: c.interval_minutes,
      health: c.pending_review && health === "ok" ? "warning" : health,
      summary: `${last}, ${expected}${failure}${review}`,
    });
  }
  return out;
}
