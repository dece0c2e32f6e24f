import "server-only";
import * as clock from "@/lib/time/clock";
import { and, desc, eq, isNull, lt, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { alerts, type Alert, type AlertSeverity } from "@/drizzle/schema/alerts";
import { companies } from "@/drizzle/schema/core";
import { writeAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/roles";
import type { Db, DbOrTx } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { companyIdSchema, idSchema } from "@/lib/http/params";

export type RaiseAlertInput = {
  companyId: number | null;
  kind: string;
  key?: string;
  severity: AlertSeverity;
  title: string;
  message: string;
  details?: Record<string, unknown>;
};

function scope(companyId: number | null, kind: string, key: string) {
  return and(
    companyId === null ? isNull(alerts.companyId) : eq(alerts.companyId, companyId),
    eq(alerts.kind, kind),
    eq(alerts.key, key),
    ne(alerts.status, "resolved"),
  );
}

/**
 * Open an alert, or refresh the unresolved one of the same (company, kind, key): message, severity and details are
 * updated, occurrences counted. Returns the row and whether it was newly opened (callers notify only then).
 */
export async function raiseAlert(db: DbOrTx, input: RaiseAlertInput): Promise<{ alert: Alert; opened: boolean }> {
  const key = input.key ?? "";
  const [inserted] = await db
    .insert(alerts)
    .values({ ...input, key, details: input.details ?? null })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { alert: inserted, opened: true };
  const [updated] = await db
    .update(alerts)
    .set({
      severity: input.severity,
      title: input.title,
      message: input.message,
      details: input.details ?? null,
      lastSeenAt: clock.now(),
      occurrences: sql`${alerts.occurrences} + 1`,
    })
    .where(scope(input.companyId, input.kind, key))
    .returning();
  if (!updated) return raiseAlert(db, input); // resolved between the two statements: open a new one
  return { alert: updated, opened: false };
}

/** The condition cleared: resolve the unresolved alert of that (company, kind, key), if any. */
export async function resolveAlert(
  db: DbOrTx,
  input: { companyId: number | null; kind: string; key?: string; reason?: string },
): Promise<Alert | null> {
  const [row] = await db
    .update(alerts)
    .set({ status: "resolved", resolvedAt: clock.now(), resolvedReason: input.reason ?? "condition cleared" })
    .where(scope(input.companyId, input.kind, input.key ?? ""))
    .returning();
  return row ?? null;
}

export const listAlertsQuerySchema = z.object({
  companyId: companyIdSchema.optional(),
  /** "active" = open or acknowledged (not yet resolved). */
  status: z.enum(["active", "open", "acknowledged", "resolved", "all"]).default("active"),
  cursor: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListAlertsQuery = z.infer<typeof listAlertsQuerySchema>;

export type AlertView = Alert & { companyName: string | null };

/** Newest first, keyset-paged on id (alerts_status_id / alerts_company_id). */
export async function listAlerts(
  db: DbOrTx,
  query: ListAlertsQuery,
): Promise<{ alerts: AlertView[]; nextCursor: number | null }> {
  const where = and(
    query.companyId ? eq(alerts.companyId, query.companyId) : undefined,
    query.status === "active"
      ? ne(alerts.status, "resolved")
      : query.status === "all"
        ? undefined
        : eq(alerts.status, query.status),
    query.cursor ? lt(alerts.id, query.cursor) : undefined,
  );
  const rows = await db
    .select({ alert: alerts, companyName: companies.name })
    .from(alerts)
    .leftJoin(companies, eq(companies.id, alerts.companyId))
    .where(where)
    .orderBy(desc(alerts.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit).map((r) => ({ ...r.alert, companyName: r.companyName }));
  return { alerts: page, nextCursor: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null };
}

/** A person has seen it: it stays until the condition clears, but no longer counts as unattended. */
export async function acknowledgeAlert(db: Db, opts: { id: number; actor: Actor; note?: string }): Promise<Alert> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(alerts).where(eq(alerts.id, opts.id)).for("update");
    if (!row) throw new AppError("NOT_FOUND", `Alert ${opts.id} not found`);
    if (row.status === "resolved") throw new AppError("CONFLICT", "This alert is already resolved");
    const [updated] = await tx
      .update(alerts)
      .set({
        status: "acknowledged",
        acknowledgedAt: clock.now(),
        acknowledgedBy: opts.actor.kind === "user" ? opts.actor.userId : null,
      })
      .where(eq(alerts.id, opts.id))
      .returning();
    await writeAudit(tx, {
      actor: opts.actor,
      action: "alerts.acknowledge",
      targetType: "alert",
      targetId: opts.id,
      companyId: row.companyId,
      reason: opts.note ?? null,
      details: { kind: row.kind, key: row.key, title: row.title },
    });
    return updated!;
  });
}
