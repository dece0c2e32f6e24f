import "server-only";
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { alerts, type Alert, type AlertSeverity } from "@/drizzle/schema/alerts";
import type { DbOrTx } from "@/lib/db/types";

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
      lastSeenAt: sql`now()`,
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
    .set({ status: "resolved", resolvedAt: sql`now()`, resolvedReason: input.reason ?? "condition cleared" })
    .where(scope(input.companyId, input.kind, input.key ?? ""))
    .returning();
  return row ?? null;
}
