import "server-only";
import * as clock from "@/lib/time/clock";
import { and, eq, gt, sql } from "drizzle-orm";
import { z } from "zod";
import { syncRuns } from "@/drizzle/schema/sync";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { defineJob, sendJob, type AnyJobDefinition } from "@/lib/jobs/queue";
import { sweepStaleRuns } from "./runs";
import { DEFAULT_SYNC_SETTINGS, listSyncSettings } from "./settings";
import { listSyncableCompanies, runSync } from "./sync";

const scheduleActor = { kind: "system", label: "sync-schedule", role: "operator" } as const;

/** One company's scheduled sync. "stately" + singletonKey: at most one queued and one active per company. */
export const syncCompanyJob = defineJob({
  name: "sync-company",
  schema: z.object({ companyId: z.number().int().positive() }),
  policy: "stately",
  retryLimit: 0,
  concurrency: 1,
  expireInSeconds: 20 * 60,
  handler: async ({ companyId }, { db }) => {
    try {
      await runSync(db, { companyId, checkOnly: false, trigger: "schedule", actor: scheduleActor });
    } catch (error) {
      // Someone started a run by hand meanwhile: that run counts, this tick is skipped.
      if (error instanceof AppError && error.code === "CONFLICT") return;
      throw error;
    }
  },
});

/** Companies whose last live run started longer ago than their interval (or never ran). */
export async function dueCompanies(db: Db, now = clock.now()): Promise<number[]> {
  const [companies, settings] = await Promise.all([listSyncableCompanies(db), listSyncSettings(db)]);
  const due: number[] = [];
  for (const c of companies) {
    const s = settings.get(c.id) ?? DEFAULT_SYNC_SETTINGS;
    if (!s.isScheduleEnabled) continue;
    const since = new Date(now.getTime() - s.intervalMinutes * 60_000);
    const [recent] = await db
      .select({ id: syncRuns.id })
      .from(syncRuns)
      .where(
        and(
          eq(syncRuns.companyId, c.id),
          eq(syncRuns.isCheckOnly, false),
          gt(syncRuns.startedAt, sql`${since.toISOString()}::timestamptz`),
        ),
      )
      .limit(1);
    if (!recent) due.push(c.id);
  }
  return due;
}

/** Every minute, once for the whole cluster: enqueue the due companies' syncs. */
const syncSchedulerJob = defineJob({
  name: "sync-scheduler",
  schema: z.object({}).loose(),
  cron: "* * * * *",
  retryLimit: 0,
  concurrency: 1,
  handler: async (_data, { db }) => {
    await sweepStaleRuns(db);
    for (const companyId of await dueCompanies(db)) {
      await sendJob(syncCompanyJob, { companyId }, { singletonKey: `sync:${companyId}` });
    }
  },
});

/** The sync jobs (see lib/jobs/queue.ts). */
export const syncJobs: AnyJobDefinition[] = [syncSchedulerJob, syncCompanyJob];
