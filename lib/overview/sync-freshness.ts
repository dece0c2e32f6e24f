import "server-only";
import type { CompanySyncStatus } from "@/lib/sync/status";
import { plural } from "@/lib/time/format";
import { ageLabel, minutesSince, type Freshness } from "./freshness";
import type { Health } from "./overview";

/**
 * What the overview says about the last successful live sync. Its health comes from the verdict (lib/health,
 * sync_stale); the text adds what a person should look at (a failed last run, services to review).
 */
export function syncFreshnessOf(c: CompanySyncStatus, now: Date, health: Health): Freshness {
  const age = minutesSince(c.last_sync, now);
  const lastLiveFailed = c.sync_errors.length > 0 && c.sync_errors[0]!.run_id === c.last_run?.id;
  const expected = c.is_schedule_enabled ? `expected every ${c.interval_minutes} min` : "schedule off";
  const last = age === null ? "no successful sync yet" : `last successful sync ${ageLabel(age)}`;
  const failure = lastLiveFailed
    ? `; last run ${c.sync_errors[0]!.status}: ${c.sync_errors[0]!.reason ?? "see the run"}`
    : "";
  const review = c.pending_review ? `; ${plural(c.pending_review, "service")} to review` : "";
  return {
    lastAt: c.last_sync,
    ageMinutes: age,
    expectedMinutes: c.interval_minutes,
    health: health === "ok" && c.last_run === null && age === null ? "unknown" : health,
    summary: `${last}, ${expected}${failure}${review}`,
  };
}
