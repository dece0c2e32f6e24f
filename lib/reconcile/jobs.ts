import "server-only";
import * as clock from "@/lib/time/clock";
import { z } from "zod";
import { resolveCalcomTarget } from "@/lib/companies/calcom-target";
import { listCompanyRows } from "@/lib/companies/companies";
import { defineJob, sendJob, type AnyJobDefinition } from "@/lib/jobs/queue";
import type { ReconcileRun } from "@/drizzle/schema/reconcile";
import { executeReconcileRun, reconcileNow } from "./run";
import { sweepStaleReconcileRuns } from "./sweep";

/** Executes one queued run (POST /api/admin/calcom/reconcile enqueues it); a failed run is recorded, not retried. */
const reconcileRunJob = defineJob({
  name: "reconcile-run",
  schema: z.object({ runId: z.number().int().positive() }),
  retryLimit: 0,
  expireInSeconds: 60 * 60,
  concurrency: 1,
  handler: async ({ runId }, { db }) => {
    await executeReconcileRun(db, runId);
  },
});

/** The nightly window: a week back (late changes to past appointments) and 90 days ahead. */
const NIGHTLY_WINDOW = { backDays: 7, aheadDays: 90 };

/** Every night at 02:30 UTC, per company: an incremental run since its last completed run (a full one the first time). */
const reconcileNightlyJob = defineJob({
  name: "reconcile-nightly",
  schema: z.object({}).loose(),
  cron: "30 2 * * *",
  retryLimit: 1,
  expireInSeconds: 2 * 60 * 60,
  handler: async (_data, { db }) => {
    const now = clock.nowMs();
    const from = new Date(now - NIGHTLY_WINDOW.backDays * 86_400_000).toISOString();
    const to = new Date(now + NIGHTLY_WINDOW.aheadDays * 86_400_000).toISOString();
    for (const company of await listCompanyRows(db)) {
      const target = resolveCalcomTarget(company);
      if (!target.apiKey || !target.isConfigured) continue;
      await reconcileNow(db, {
        input: { companyId: company.id, from, to, incremental: true },
        actor: { kind: "system", label: "reconcile-nightly", role: "operator" },
      });
    }
  },
});

/** Every five minutes, once for the cluster: runs left running or queued by a crash are closed as failed. */
const reconcileSweepJob = defineJob({
  name: "reconcile-sweep",
  schema: z.object({}).loose(),
  cron: "*/5 * * * *",
  retryLimit: 0,
  policy: "short",
  handler: async (_data, { db }) => {
    await sweepStaleReconcileRuns(db);
  },
});

/** Hands created runs to the queue's workers. */
export async function enqueueReconcileRuns(runs: ReconcileRun[]): Promise<void> {
  for (const run of runs) await sendJob(reconcileRunJob, { runId: run.id });
}

/** The reconcile jobs (see lib/jobs/queue.ts). */
export const reconcileJobs: AnyJobDefinition[] = [reconcileRunJob, reconcileNightlyJob, reconcileSweepJob];
