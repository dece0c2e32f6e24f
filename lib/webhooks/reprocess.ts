import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { webhookDeliveries, webhookReprocessRuns } from "@/drizzle/schema/webhooks";
import { writeAudit } from "@/lib/audit/audit";
import { actorLabel, type Actor } from "@/lib/auth/roles";
import type { Db, DbOrTx } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { findFailedIds, statusCounts, webhookFilterSchema } from "./log";
import { notifyWebhookWorkers } from "./worker";

/** Operators re-run processing: one delivery, or every failed one in a filter / since a time (count first). */

const BULK_CAP = 5000;

export const reprocessInputSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("one"), id: z.number().int().positive(), reason: z.string().trim().max(300).optional() }),
  z.object({
    mode: z.literal("failed"),
    filter: webhookFilterSchema.omit({ status: true }).default({}),
    since: z.iso.datetime({ offset: true }).optional(),
    /** true = only count what would be reprocessed. */
    dryRun: z.boolean().default(false),
  }),
]);
export type ReprocessInput = z.input<typeof reprocessInputSchema>;

export type ReprocessResult =
  | { mode: "one"; id: number; status: "pending" }
  | { mode: "failed"; dryRun: true; count: number; isCapped: boolean }
  | { mode: "failed"; dryRun: false; runId: number; total: number; isCapped: boolean };

export async function reprocessDeliveries(
  db: Db,
  opts: { input: ReprocessInput; actor: Actor },
): Promise<ReprocessResult> {
  const input = reprocessInputSchema.parse(opts.input);
  if (input.mode === "one") return reprocessOne(db, { id: input.id, reason: input.reason, actor: opts.actor });
  const found = await findFailedIds(db, { ...input.filter, since: input.since }, BULK_CAP);
  const isCapped = found.length > BULK_CAP;
  const ids = found.slice(0, BULK_CAP);
  if (input.dryRun) return { mode: "failed", dryRun: true, count: ids.length, isCapped };
  const runId = await db.transaction(async (tx) => {
    if (ids.length) {
      await tx
        .update(webhookDeliveries)
        .set({ status: "pending", outcome: `Bulk reprocess requested by ${actorLabel(opts.actor)}` })
        .where(and(inArray(webhookDeliveries.id, ids), eq(webhookDeliveries.status, "failed")));
    }
    const filter = { ...input.filter, since: input.since ?? null };
    const [run] = await tx
      .insert(webhookReprocessRuns)
      .values({ requestedBy: actorLabel(opts.actor), filter, deliveryIds: ids, total: ids.length })
      .returning({ id: webhookReprocessRuns.id });
    await writeAudit(tx, {
      actor: opts.actor,
      action: "webhooks.reprocess.bulk",
      targetType: "webhook_reprocess_run",
      targetId: run!.id,
      companyId: input.filter.companyId ?? null,
      details: { filter, total: ids.length, isCapped },
    });
    return run!.id;
  });
  if (ids.length > 0) notifyWebhookWorkers();
  return { mode: "failed", dryRun: false, runId, total: ids.length, isCapped };
}

async function reprocessOne(db: Db, opts: { id: number; reason?: string; actor: Actor }): Promise<ReprocessResult> {
  await db.transaction(async (tx) => {
    const [d] = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, opts.id)).for("update");
    if (!d) throw new AppError("NOT_FOUND", `Webhook delivery ${opts.id} not found`);
    if (d.status === "rejected")
      throw new AppError(
        "CONFLICT",
        `Delivery ${d.id} was rejected (${d.verdict}): only verified deliveries are processed. Fix the cause and have Cal.com send it again.`,
      );
    if (d.status === "duplicate")
      throw new AppError(
        "CONFLICT",
        `Delivery ${d.id} is a duplicate of #${d.duplicateOfId}; reprocess that one instead.`,
      );
    if (d.body === null)
      throw new AppError("CONFLICT", `Delivery ${d.id} has no payload any more (purged by retention).`);
    await tx
      .update(webhookDeliveries)
      .set({ status: "pending", outcome: `Reprocess requested by ${actorLabel(opts.actor)}` })
      .where(eq(webhookDeliveries.id, d.id));
    await writeAudit(tx, {
      actor: opts.actor,
      action: "webhooks.reprocess",
      targetType: "webhook_delivery",
      targetId: d.id,
      companyId: d.companyId,
      reason: opts.reason ?? null,
      details: { previousStatus: d.status },
    });
  });
  notifyWebhookWorkers();
  return { mode: "one", id: opts.id, status: "pending" };
}

/** Progress of a bulk run: how many of its deliveries are done, failed again, or still pending. */
export async function getReprocessRun(db: DbOrTx, runId: number) {
  const [run] = await db.select().from(webhookReprocessRuns).where(eq(webhookReprocessRuns.id, runId));
  if (!run) throw new AppError("NOT_FOUND", `Reprocess run ${runId} not found`);
  const counts = await statusCounts(db, run.deliveryIds);
  const pending = counts.pending ?? 0;
  const failed = counts.failed ?? 0;
  return {
    id: run.id,
    requestedBy: run.requestedBy,
    createdAt: run.createdAt,
    filter: run.filter,
    total: run.total,
    pending,
    failed,
    done: run.total - pending - failed,
    counts,
  };
}
