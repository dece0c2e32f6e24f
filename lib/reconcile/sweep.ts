import "server-only";
import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import { reconcileRemoteBookings, reconcileRuns } from "@/drizzle/schema/reconcile";
import type { Db } from "@/lib/db/types";

/**
 * Runs left behind by a crash, like lib/sync/runs.ts sweepStaleRuns: a run still "running" after its job's time limit
 * (reconcile-run expires after 60 min, and is never retried) or still "queued" long after any queue would have
 * reached it is marked failed with the reason, and its staged Cal.com bookings are dropped. Called before each start
 * and every five minutes by reconcile-sweep.
 */
export const STALE_RUNNING_MINUTES = 70;
export const STALE_QUEUED_MINUTES = 6 * 60;

export async function sweepStaleReconcileRuns(db: Db, now = new Date()): Promise<number[]> {
  const runningBefore = new Date(now.getTime() - STALE_RUNNING_MINUTES * 60_000);
  const queuedBefore = new Date(now.getTime() - STALE_QUEUED_MINUTES * 60_000);
  const t = reconcileRuns;
  const rows = await db
    .update(t)
    .set({
      status: "failed",
      finishedAt: now,
      error: sql`case when ${t.status} = 'running'
        then ${`abandoned: still running after ${STALE_RUNNING_MINUTES} minutes (the instance running it stopped)`}
        else ${`never started: queued for more than ${STALE_QUEUED_MINUTES / 60} hours (its job was lost)`} end`,
    })
    .where(
      or(
        and(eq(t.status, "running"), lt(t.startedAt, runningBefore)),
        and(eq(t.status, "queued"), lt(t.createdAt, queuedBefore)),
      ),
    )
    .returning({ id: t.id });
  const ids = rows.map((r) => r.id);
  if (ids.length > 0) {
    await db.delete(reconcileRemoteBookings).where(inArray(reconcileRemoteBookings.runId, ids));
    console.warn(`[reconcile] swept ${ids.length} abandoned run(s): ${ids.join(", ")}`);
  }
  return ids;
}
