import "server-only";
import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditLog, type AuditEntry } from "@/drizzle/schema/core";
import { actorLabel, type Actor } from "@/lib/auth/roles";
import type { DbOrTx } from "@/lib/db/types";

export type AuditInput = {
  actor: Actor;
  action: string;
  targetType: string;
  targetId?: string | number | null;
  companyId?: number | null;
  reason?: string | null;
  details?: Record<string, unknown>;
};

/** Call inside the same transaction as the change it records, so neither exists without the other. */
export async function writeAudit(db: DbOrTx, input: AuditInput): Promise<void> {
  await db.insert(auditLog).values({
    actorUserId: input.actor.kind === "user" ? input.actor.userId : null,
    actorLabel: actorLabel(input.actor),
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId == null ? null : String(input.targetId),
    companyId: input.companyId ?? null,
    reason: input.reason ?? null,
    details: input.details ?? null,
  });
}

export const auditQuerySchema = z.object({
  companyId: z.coerce.number().int().positive().optional(),
  action: z.string().trim().min(1).max(100).optional(),
  actor: z.string().trim().min(1).max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** Newest first, keyset-paginated on id (audit_log_id_desc and the per-company / per-action indexes serve it). */
export async function listAudit(db: DbOrTx, query: AuditQuery): Promise<{ items: AuditEntry[]; nextCursor: number | null }> {
  const where: SQL[] = [];
  if (query.companyId) where.push(eq(auditLog.companyId, query.companyId));
  if (query.action) where.push(eq(auditLog.action, query.action));
  if (query.actor) where.push(eq(auditLog.actorLabel, query.actor));
  if (query.from) where.push(gte(auditLog.at, new Date(query.from)));
  if (query.to) where.push(lte(auditLog.at, new Date(query.to)));
  if (query.cursor) where.push(lt(auditLog.id, query.cursor));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const hasMore = rows.length > query.limit;
  return { items, nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null };
}
