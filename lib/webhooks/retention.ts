import "server-only";
import * as clock from "@/lib/time/clock";
import { and, asc, eq, inArray, isNotNull, isNull, lt } from "drizzle-orm";
import { companies } from "@/drizzle/schema/core";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import { getEnv } from "@/lib/config/env";
import type { Db } from "@/lib/db/types";
import { purgeRejectionCounts } from "./rate-limit";
import { DEFAULT_SETTINGS, getWebhookSettings } from "./settings";

const BATCH = 2000;

/**
 * Purges payload bodies older than each company's retention (deliveries without a company use the default),
 * in batches so a large backlog never holds a long lock. Headers, verdicts and outcomes are kept.
 */
export async function purgeExpiredPayloads(db: Db, opts: { now?: Date } = {}): Promise<number> {
  const now = opts.now ?? clock.now();
  const rows = await db.select({ id: companies.id }).from(companies);
  let total = 0;
  for (const company of rows) {
    const { payloadRetentionDays } = await getWebhookSettings(db, company.id);
    total += await purgeWhere(db, eq(webhookDeliveries.companyId, company.id), cutoff(now, payloadRetentionDays));
  }
  total += await purgeWhere(
    db,
    isNull(webhookDeliveries.companyId),
    cutoff(now, DEFAULT_SETTINGS.payloadRetentionDays),
  );
  return total;
}

const cutoff = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

async function purgeWhere(db: Db, scope: ReturnType<typeof eq>, before: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(scope, isNotNull(webhookDeliveries.body), lt(webhookDeliveries.receivedAt, before)))
      .orderBy(asc(webhookDeliveries.receivedAt))
      .limit(BATCH);
    if (batch.length === 0) return total;
    await db
      .update(webhookDeliveries)
      .set({ body: null, bodyPurgedAt: clock.now() })
      .where(
        inArray(
          webhookDeliveries.id,
          batch.map((b) => b.id),
        ),
      );
    total += batch.length;
    if (batch.length < BATCH) return total;
  }
}

/**
 * Rejected deliveries are deleted, rows and all, after WEBHOOK_REJECTED_RETENTION_DAYS (default 7), in batches
 * (served by the partial index webhook_deliveries_attention_received); so are the per-address rejection counters of that age.
 */
export async function deleteExpiredRejected(db: Db, opts: { now?: Date; days?: number } = {}): Promise<number> {
  const before = cutoff(opts.now ?? new Date(), opts.days ?? getEnv().WEBHOOK_REJECTED_RETENTION_DAYS);
  let total = 0;
  for (;;) {
    const batch = await db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.status, "rejected"), lt(webhookDeliveries.receivedAt, before)))
      .orderBy(asc(webhookDeliveries.receivedAt))
      .limit(BATCH);
    if (batch.length === 0) break;
    await db.delete(webhookDeliveries).where(
      inArray(
        webhookDeliveries.id,
        batch.map((b) => b.id),
      ),
    );
    total += batch.length;
    if (batch.length < BATCH) break;
  }
  await purgeRejectionCounts(db, before);
  return total;
}
