import "server-only";
import * as clock from "@/lib/time/clock";
import { z } from "zod";
import type { Db } from "@/lib/db/types";
import { defineJob, sendJob, type AnyJobDefinition } from "@/lib/jobs/queue";
import { processDelivery } from "./process";
import { findStalePending, purgeExpiredPayloads } from "./retention";

/** Process one stored delivery. Transient errors are thrown so pg-boss retries with exponential backoff. */
export const processDeliveryJob = defineJob({
  name: "webhooks-process-delivery",
  schema: z.object({ deliveryId: z.number().int().positive() }),
  retryLimit: 5,
  retryDelaySeconds: 5,
  expireInSeconds: 120,
  concurrency: 3,
  handler: async (data, ctx) => {
    // First attempt: only a pending delivery (a drain may have failed it for good already); retries take failed too.
    const statuses = ctx.attempt === 1 ? (["pending"] as const) : (["pending", "failed"] as const);
    const result = await processDelivery(ctx.db, { deliveryId: data.deliveryId, jobId: ctx.jobId, statuses: [...statuses] });
    await drainPending(ctx.db, ctx.jobId);
    if (result.shouldRetry) throw new Error(result.outcome);
  },
});

/**
 * A pg-boss worker takes one job per 2 s poll, so a burst would wait in line. After its own delivery a job also
 * processes a few other pending ones (oldest first, bounded); their own jobs then find them done and skip.
 * Failed deliveries are left to their retry schedule.
 */
async function drainPending(db: Db, jobId: string): Promise<void> {
  const deadline = clock.nowMs() + 5_000;
  try {
    for (const id of await findStalePending(db, { olderThanSeconds: 0, limit: 25 })) {
      if (clock.nowMs() > deadline) break;
      await processDelivery(db, { deliveryId: id, jobId: `${jobId} (drain)`, statuses: ["pending"], isDrain: true });
    }
  } catch (error) {
    console.warn("[webhooks] draining pending deliveries stopped:", error instanceof Error ? error.message : error);
  }
}

/** Safety net: a delivery stored but never enqueued (queue down at that moment) is enqueued again. */
export const sweepPendingJob = defineJob({
  name: "webhooks-sweep-pending",
  schema: z.object({}).loose(),
  cron: "* * * * *",
  retryLimit: 1,
  policy: "short",
  handler: async (_data, ctx) => {
    for (const id of await findStalePending(ctx.db, { olderThanSeconds: 120, limit: 200 })) await sendJob(processDeliveryJob, { deliveryId: id });
  },
});

/** Payload bodies hold personal data: purge them after each company's retention (metadata is kept). */
export const retentionJob = defineJob({
  name: "webhooks-retention",
  schema: z.object({}).loose(),
  cron: "17 * * * *",
  retryLimit: 2,
  policy: "short",
  handler: async (_data, ctx) => {
    const purged = await purgeExpiredPayloads(ctx.db);
    if (purged > 0) console.log(`[webhooks] retention purged ${purged} payload bodies`);
  },
});

/** The webhooks jobs (see lib/jobs/queue.ts). */
export const webhooksJobs: AnyJobDefinition[] = [processDeliveryJob, sweepPendingJob, retentionJob];
