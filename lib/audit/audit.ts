import "server-only";
import { and, desc, eq, gte, ilike, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditLog, companies, services, users, type AuditEntry } from "@/drizzle/schema/core";
import { actorLabel, type Actor } from "@/lib/auth/roles";
import { containsPattern } from "@/lib/db/like";
import type { DbOrTx } from "@/lib/db/types";
import { companyIdSchema, idSchema } from "@/lib/http/params";

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
  companyId: companyIdSchema.optional(),
  action: z.string().trim().min(1).max(100).optional(),
  actor: z.string().trim().min(1).max(200).optional(),
  /** Free text: action, actor, reason or target id, partial and case-insensitive. */
  q: z.string().trim().min(1).max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export type AuditItem = AuditEntry & { companyName: string | null; targetName: string | null };

/**
 * Newest first, keyset-paginated on id (audit_log_id_desc serves it). Action and actor match partially and ignore
 * case, as people type them ("circuit" finds circuit.reset); targets come with their names.
 */
export async function listAudit(
  db: DbOrTx,
  query: AuditQuery,
): Promise<{ items: AuditItem[]; nextCursor: number | null }> {
  const where: SQL[] = [];
  if (query.companyId) where.push(eq(auditLog.companyId, query.companyId));
  if (query.action) where.push(ilike(auditLog.action, containsPattern(query.action)));
  if (query.actor) where.push(ilike(auditLog.actorLabel, containsPattern(query.actor)));
  if (query.q) {
    const pattern = containsPattern(query.q);
    where.push(
      or(
        ilike(auditLog.action, pattern),
        ilike(auditLog.actorLabel, pattern),
        ilike(auditLog.reason, pattern),
        ilike(auditLog.targetId, pattern),
      )!,
    );
  }
  if (query.from) where.push(gte(auditLog.at, new Date(query.from)));
  if (query.to) where.push(lte(auditLog.at, new Date(query.to)));
  if (query.cursor) where.push(lt(auditLog.id, query.cursor));
  const rows = await db
    .select({
      entry: auditLog,
      companyName: companies.name,
      serviceName: services.name,
      userEmail: users.email,
      targetCompanyName: sql<
        string | null
      >`(select c.name from companies c where ${auditLog.targetType} = 'company' and c.id::text = ${auditLog.targetId})`,
    })
    .from(auditLog)
    .leftJoin(companies, eq(companies.id, auditLog.companyId))
    .leftJoin(services, and(eq(auditLog.targetType, "service"), eq(sql`${services.id}::text`, auditLog.targetId)))
    .leftJoin(users, and(eq(auditLog.targetType, "user"), eq(sql`${users.id}::text`, auditLog.targetId)))
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit).map((r) => ({
    ...r.entry,
    companyName: r.companyName,
    targetName: r.serviceName ?? r.userEmail ?? r.targetCompanyName ?? detailName(r.entry.details),
  }));
  const hasMore = rows.length > query.limit;
  return { items, nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null };
}

function detailName(details: unknown): string | null {
  const d = details as { name?: unknown; label?: unknown } | null;
  return typeof d?.name === "string" ? d.name : typeof d?.label === "string" ? d.label : null;
}
