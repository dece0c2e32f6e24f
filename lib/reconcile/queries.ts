import "server-only";
import { and, asc, desc, eq, gt, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { companies } from "@/drizzle/schema/core";
import {
  RECONCILE_CLASSES,
  RECONCILE_ITEM_STATUSES,
  reconcileItems,
  reconcileRuns,
  type ReconcileItem,
  type ReconcileRun,
} from "@/drizzle/schema/reconcile";
import type { DbOrTx } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { companyIdSchema, idSchema } from "@/lib/http/params";

export const listRunsQuerySchema = z.object({
  companyId: companyIdSchema.optional(),
  cursor: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export type RunView = ReconcileRun & { companyName: string; openItems: number };

/** Newest first, keyset on id (reconcile_runs_company_id / reconcile_runs_id_desc). */
export async function listReconcileRuns(
  db: DbOrTx,
  query: z.input<typeof listRunsQuerySchema>,
): Promise<{ runs: RunView[]; nextCursor: number | null }> {
  const q = listRunsQuerySchema.parse(query);
  const where: SQL[] = [];
  if (q.companyId) where.push(eq(reconcileRuns.companyId, q.companyId));
  if (q.cursor) where.push(lt(reconcileRuns.id, q.cursor));
  const rows = await db
    .select({
      run: reconcileRuns,
      companyName: companies.name,
      openItems: sql<number>`(select count(*)::int from ${reconcileItems} where ${reconcileItems.runId} = ${reconcileRuns.id} and ${reconcileItems.status} = 'open')`,
    })
    .from(reconcileRuns)
    .innerJoin(companies, eq(companies.id, reconcileRuns.companyId))
    .where(and(...where))
    .orderBy(desc(reconcileRuns.id))
    .limit(q.limit + 1);
  const runs = rows
    .slice(0, q.limit)
    .map((r) => ({ ...r.run, companyName: r.companyName, openItems: Number(r.openItems) }));
  return { runs, nextCursor: rows.length > q.limit ? (runs.at(-1)?.id ?? null) : null };
}

export const listItemsQuerySchema = z.object({
  class: z.enum(RECONCILE_CLASSES).optional(),
  status: z.enum(RECONCILE_ITEM_STATUSES).optional(),
  cursor: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export async function getReconcileRunOrThrow(db: DbOrTx, runId: number): Promise<RunView> {
  const [row] = await db
    .select({ run: reconcileRuns, companyName: companies.name })
    .from(reconcileRuns)
    .innerJoin(companies, eq(companies.id, reconcileRuns.companyId))
    .where(eq(reconcileRuns.id, runId));
  if (!row) throw new AppError("NOT_FOUND", `Reconciliation run ${runId} not found`);
  const [open] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(reconcileItems)
    .where(and(eq(reconcileItems.runId, runId), eq(reconcileItems.status, "open")));
  return { ...row.run, companyName: row.companyName, openItems: Number(open?.n ?? 0) };
}

/** One run and a page of its items, oldest first, keyset on id (reconcile_items_run_class_id / _run_status_id). */
export async function getReconcileRun(
  db: DbOrTx,
  runId: number,
  query: z.input<typeof listItemsQuerySchema>,
): Promise<{ run: RunView; items: ReconcileItem[]; nextCursor: number | null; openByClass: Record<string, number> }> {
  const q = listItemsQuerySchema.parse(query);
  const run = await getReconcileRunOrThrow(db, runId);
  const where: SQL[] = [eq(reconcileItems.runId, runId)];
  if (q.class) where.push(eq(reconcileItems.class, q.class));
  if (q.status) where.push(eq(reconcileItems.status, q.status));
  if (q.cursor) where.push(gt(reconcileItems.id, q.cursor));
  const rows = await db
    .select()
    .from(reconcileItems)
    .where(and(...where))
    .orderBy(asc(reconcileItems.id))
    .limit(q.limit + 1);
  const open = await db
    .select({ cls: reconcileItems.class, n: sql<number>`count(*)::int` })
    .from(reconcileItems)
    .where(and(eq(reconcileItems.runId, runId), eq(reconcileItems.status, "open")))
    .groupBy(reconcileItems.class);
  const items = rows.slice(0, q.limit);
  return {
    run,
    items,
    nextCursor: rows.length > q.limit ? (items.at(-1)?.id ?? null) : null,
    openByClass: Object.fromEntries(open.map((o) => [o.cls, Number(o.n)])),
  };
}
