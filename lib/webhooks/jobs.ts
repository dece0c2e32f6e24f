import "server-only";
import { z } from "zod";
import { defineJob, type AnyJobDefinition } from "@/lib/jobs/queue";
import { deleteExpiredRejected, purgeExpiredPayloads } from "./retention";
import { drainWebhookQueue, isWebhookWorkerRunning, notifyWebhookWorkers } from "./worker";

/**
 * Safety net, once a minute for the whole cluster: when this instance's in-process worker is running it is only
 * woken (it polls anyway); otherwise (stopped, or never started) the queue is drained here for up to 20 s. The
 * singleton policy keeps a slow sweep from overlapping the next tick's.
 */
const sweepPendingJob = defineJob({
  name: "webhooks-sweep-pending",
  schema: z.object({}).loose(),
  cron: "* * * * *",
  retryLimit: 0,
  policy: "singleton",
  expireInSeconds: 120,
  concurrency: 1,
  handler: async (_data, ctx) => {
    if (isWebhookWorkerRunning()) return notifyWebhookWorkers();
    const n = await drainWebhookQueue(ctx.db, { budgetMs: 20_000, workerId: `sweep ${ctx.jobId}` });
    if (n > 0) console.log(`[webhooks] sweep processed ${n} queued deliveries`);
  },
});

/** Payload bodies hold personal data: purge them after each company's retention (metadata is kept). */
const retentionJob = defineJob({
  name: "webhooks-retention",
  schema: z.object({}).loose(),
  cron: "17 * * * *",
  retryLimit: 2,
  policy: "short",
  handler: async (_data, ctx) => {
    const purged = await purgeExpiredPayloads(ctx.db);
    if (purged > 0) console.log(`[webhooks] retention purged ${purged} payload bodies`);
    const rejected = await deleteExpiredRejected(ctx.db);
    if (rejected > 0) console.log(`[webhooks] retention deleted ${rejected} rejected deliveries`);
  },
});

/** The webhooks jobs (see lib/jobs/queue.ts). */
export const webhooksJobs: AnyJobDefinition[] = [sweepPendingJob, retentionJob];
