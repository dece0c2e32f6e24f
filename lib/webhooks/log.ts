import "server-only";
import { and, asc, desc, eq, gte, ilike, inArray, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { companies, companyWebhookSecrets } from "@/drizzle/schema/core";
import {
  WEBHOOK_STATUSES,
  WEBHOOK_VERDICTS,
  webhookAppointmentChanges,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookRescheduleLinks,
} from "@/drizzle/schema/webhooks";
import { prefixPattern } from "@/lib/db/like";
import type { DbOrTx } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { companyIdSchema } from "@/lib/http/params";

/** The webhook log: filters served by the (column, received_at desc, id desc) indexes, keyset pages, no COUNT(*). */

export const webhookFilterSchema = z.object({
  companyId: companyIdSchema.optional(),
  trigger: z.string().trim().min(1).max(80).optional(),
  verdict: z.enum(WEBHOOK_VERDICTS).optional(),
  status: z.enum(WEBHOOK_STATUSES).optional(),
  bookingUid: z.string().trim().min(1).max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type WebhookFilter = z.infer<typeof webhookFilterSchema>;

export const listWebhooksQuerySchema = webhookFilterSchema.extend({
  cursor: z
    .string()
    .regex(/^\d+_\d+$/, "cursor is <receivedAt ms>_<id>")
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListWebhooksQuery = z.infer<typeof listWebhooksQuerySchema>;

function filterConditions(f: WebhookFilter): SQL[] {
  const d = webhookDeliveries;
  const where: SQL[] = [];
  if (f.companyId) where.push(eq(d.companyId, f.companyId));
  if (f.trigger) where.push(eq(d.triggerEvent, f.trigger));
  if (f.verdict) where.push(eq(d.verdict, f.verdict));
  if (f.status) where.push(eq(d.status, f.status));
  // People paste part of a uid: a case-insensitive prefix.
  if (f.bookingUid) where.push(ilike(d.bookingUid, prefixPattern(f.bookingUid)));
  if (f.from) where.push(gte(d.receivedAt, new Date(f.from)));
  if (f.to) where.push(lte(d.receivedAt, new Date(f.to)));
  return where;
}

const listColumns = {
  id: webhookDeliveries.id,
  receivedAt: webhookDeliveries.receivedAt,
  companyId: webhookDeliveries.companyId,
  routeSlug: webhookDeliveries.routeSlug,
  triggerEvent: webhookDeliveries.triggerEvent,
  bookingUid: webhookDeliveries.bookingUid,
  verdict: webhookDeliveries.verdict,
  verdictDetail: webhookDeliveries.verdictDetail,
  responseStatus: webhookDeliveries.responseStatus,
  status: webhookDeliveries.status,
  outcome: webhookDeliveries.outcome,
  attempts: webhookDeliveries.attempts,
  duplicateCount: webhookDeliveries.duplicateCount,
  bodyBytes: webhookDeliveries.bodyBytes,
};
/** Newest first by (received_at, id); the cursor is the last row's pair, so pages stay stable while rows arrive. */
export async function listWebhookDeliveries(db: DbOrTx, query: ListWebhooksQuery) {
  const d = webhookDeliveries;
  const where = filterConditions(query);
  if (query.cursor) {
    const [ms, id] = query.cursor.split("_").map(Number) as [number, number];
    const at = new Date(ms);
    // A row comparison is one index condition on (…, received_at, id); the OR form would not be.
    where.push(sql`(${d.receivedAt}, ${d.id}) < (${at.toISOString()}::timestamptz, ${id}::bigint)`);
  }
  const rows = await db
    .select({ ...listColumns, companyName: companies.name })
    .from(d)
    .leftJoin(companies, eq(companies.id, d.companyId))
    .where(and(...where))
    .orderBy(desc(d.receivedAt), desc(d.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  const nextCursor: string | null =
    rows.length > query.limit && last ? `${last.receivedAt.getTime()}_${last.id}` : null;
  return { items, nextCursor };
}

export async function getWebhookDelivery(db: DbOrTx, id: number) {
  const [delivery] = await db
    .select({ delivery: webhookDeliveries, companyName: companies.name, secretLabel: companyWebhookSecrets.label })
    .from(webhookDeliveries)
    .leftJoin(companies, eq(companies.id, webhookDeliveries.companyId))
    .leftJoin(companyWebhookSecrets, eq(companyWebhookSecrets.id, webhookDeliveries.matchedSecretId))
    .where(eq(webhookDeliveries.id, id));
  if (!delivery) throw new AppError("NOT_FOUND", `Webhook delivery ${id} not found`);
  const d = delivery.delivery;
  const [attempts, changes, duplicates, links] = await Promise.all([
    db
      .select()
      .from(webhookDeliveryAttempts)
      .where(eq(webhookDeliveryAttempts.deliveryId, id))
      .orderBy(asc(webhookDeliveryAttempts.id)),
    db
      .select()
      .from(webhookAppointmentChanges)
      .where(eq(webhookAppointmentChanges.deliveryId, id))
      .orderBy(asc(webhookAppointmentChanges.id)),
    db
      .select({ id: webhookDeliveries.id, receivedAt: webhookDeliveries.receivedAt })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.duplicateOfId, id))
      .orderBy(desc(webhookDeliveries.id))
      .limit(20),
    d.bookingUid
      ? db
          .select()
          .from(webhookRescheduleLinks)
          .where(or(eq(webhookRescheduleLinks.fromUid, d.bookingUid), eq(webhookRescheduleLinks.toUid, d.bookingUid)))
      : Promise.resolve([]),
  ]);
  return {
    ...d,
    companyName: delivery.companyName,
    secretLabel: delivery.secretLabel,
    attemptLog: attempts,
    changes,
    duplicates,
    rescheduleLinks: links,
  };
}

/** Failed deliveries matching a filter (and a "since"), capped: the bulk reprocess shows this count first. */
export async function findFailedIds(
  db: DbOrTx,
  filter: WebhookFilter & { since?: string },
  cap: number,
): Promise<number[]> {
  const where = filterConditions({ ...filter, status: "failed" });
  if (filter.since) where.push(gte(webhookDeliveries.receivedAt, new Date(filter.since)));
  const rows = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(...where))
    .orderBy(asc(webhookDeliveries.receivedAt), asc(webhookDeliveries.id))
    .limit(cap + 1);
  return rows.map((r) => r.id);
}

export async function statusCounts(db: DbOrTx, ids: number[]): Promise<Record<string, number>> {
  if (ids.length === 0) return {};
  const rows = await db
    .select({ status: webhookDeliveries.status, n: sql<number>`count(*)::int` })
    .from(webhookDeliveries)
    .where(inArray(webhookDeliveries.id, ids))
    .groupBy(webhookDeliveries.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
