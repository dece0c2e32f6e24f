import "server-only";
import * as clock from "@/lib/time/clock";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import {
  reconcileItems,
  reconcileRemoteBookings,
  reconcileRuns,
  type ReconcileClass,
  type ReconcileRun,
} from "@/drizzle/schema/reconcile";
import { writeAudit } from "@/lib/audit/audit";
import { actorLabel, type Actor } from "@/lib/auth/roles";
import { createCalcomHttp } from "@/lib/calcom/client";
import { CalcomError } from "@/lib/calcom/errors";
import { resolveCalcomTarget } from "@/lib/companies/calcom-target";
import { getCompanyOrThrow, listCompanyRows } from "@/lib/companies/companies";
import type { Db } from "@/lib/db/types";
import { AppError, safeErrorMessage } from "@/lib/errors";
import { walkLocal, walkRemote } from "./classify";
import { findLocalDuplicates, findRemoteDuplicates } from "./duplicates";
import { stageRemoteBookings } from "./remote";
import { sweepStaleReconcileRuns } from "./sweep";

const MAX_RANGE_DAYS = 400;

/** POST /api/admin/calcom/reconcile, the CLI and the nightly job all start runs with this input. */
export const startReconcileSchema = z
  .object({
    companyId: z.number().int().positive().optional(),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    /** Only what changed since the company's last completed run (Cal.com's afterUpdatedAt). */
    incremental: z.boolean().default(false),
  })
  .refine((v) => new Date(v.from) < new Date(v.to), { message: "from must be before to", path: ["to"] })
  .refine((v) => new Date(v.to).getTime() - new Date(v.from).getTime() <= MAX_RANGE_DAYS * 86_400_000, {
    message: `The range may span at most ${MAX_RANGE_DAYS} days`,
    path: ["to"],
  });
export type StartReconcileInput = z.input<typeof startReconcileSchema>;

async function lastCompletedRun(db: Db, companyId: number): Promise<ReconcileRun | null> {
  const [row] = await db
    .select()
    .from(reconcileRuns)
    .where(and(eq(reconcileRuns.companyId, companyId), eq(reconcileRuns.status, "completed")))
    .orderBy(desc(reconcileRuns.id))
    .limit(1);
  return row ?? null;
}

/**
 * Records one queued run per company (all companies when companyId is absent), audited. An incremental run starts
 * from the previous completed run's start; without one it is a full run.
 */
export async function createReconcileRuns(
  db: Db,
  opts: { input: StartReconcileInput; actor: Actor },
): Promise<ReconcileRun[]> {
  const input = startReconcileSchema.parse(opts.input);
  await sweepStaleReconcileRuns(db);
  // All companies = those with a Cal.com key (a company without one has nothing to compare against).
  const companies = input.companyId
    ? [await getCompanyOrThrow(db, input.companyId)]
    : (await listCompanyRows(db)).filter((c) => resolveCalcomTarget(c).apiKey);
  if (!companies.length) throw new AppError("BAD_REQUEST", "There is no company with a Cal.com key to reconcile");
  const runs: ReconcileRun[] = [];
  for (const company of companies) {
    const previous = input.incremental ? await lastCompletedRun(db, company.id) : null;
    const run = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(reconcileRuns)
        .values({
          companyId: company.id,
          mode: previous ? "incremental" : "full",
          rangeFrom: new Date(input.from),
          rangeTo: new Date(input.to),
          updatedSince: previous?.startedAt ?? null,
          actorLabel: actorLabel(opts.actor),
        })
        .returning();
      await writeAudit(tx, {
        actor: opts.actor,
        action: "reconcile.start",
        targetType: "reconcile_run",
        targetId: row!.id,
        companyId: company.id,
        details: {
          from: input.from,
          to: input.to,
          incremental: input.incremental,
          mode: row!.mode,
          updatedSince: row!.updatedSince?.toISOString() ?? null,
        },
      });
      return row!;
    });
    runs.push(run);
  }
  return runs;
}

async function countByClass(db: Db, runId: number): Promise<Partial<Record<ReconcileClass, number>>> {
  const rows = await db
    .select({ cls: reconcileItems.class, n: sql<number>`count(*)::int` })
    .from(reconcileItems)
    .where(eq(reconcileItems.runId, runId))
    .groupBy(reconcileItems.class);
  return Object.fromEntries(rows.map((r) => [r.cls, Number(r.n)]));
}

/**
 * Runs a queued run to the end: stage Cal.com's bookings page by page, walk local appointments and staged bookings in
 * keyset chunks, find duplicates, count. A failure (Cal.com down, circuit open) marks the run failed with the reason.
 */
export async function executeReconcileRun(db: Db, runId: number): Promise<ReconcileRun> {
  const [claimed] = await db
    .update(reconcileRuns)
    .set({ status: "running", startedAt: clock.now() })
    .where(and(eq(reconcileRuns.id, runId), inArray(reconcileRuns.status, ["queued"])))
    .returning();
  if (!claimed) {
    const [existing] = await db.select().from(reconcileRuns).where(eq(reconcileRuns.id, runId));
    if (!existing) throw new AppError("NOT_FOUND", `Reconciliation run ${runId} not found`);
    return existing; // already taken by another worker, or finished
  }
  try {
    const http = await createCalcomHttp(db, claimed.companyId);
    const { pages, remoteCount } = await stageRemoteBookings(db, http, claimed);
    // Fresh statistics for the rows just staged, so the walks' joins are planned for their real size.
    await db.execute(sql`analyze ${reconcileRemoteBookings}`);
    const { localCount, lookups } = await walkLocal(db, http, claimed);
    await walkRemote(db, claimed);
    await findRemoteDuplicates(db, claimed);
    await findLocalDuplicates(db, claimed);
    const counts = await countByClass(db, claimed.id);
    const [done] = await db
      .update(reconcileRuns)
      .set({ status: "completed", finishedAt: clock.now(), pages, remoteCount, localCount, lookups, counts })
      .where(and(eq(reconcileRuns.id, claimed.id), eq(reconcileRuns.status, "running")))
      .returning();
    // Swept as abandoned meanwhile (it outlived its time limit): the sweep's verdict stands.
    return done ?? (await db.select().from(reconcileRuns).where(eq(reconcileRuns.id, claimed.id)))[0]!;
  } catch (error) {
    const message = safeErrorMessage(error, "Unexpected error (logged)");
    if (!(error instanceof CalcomError) && !(error instanceof AppError))
      console.error(`[reconcile] run ${runId} failed`, error);
    const [failed] = await db
      .update(reconcileRuns)
      .set({ status: "failed", finishedAt: clock.now(), error: message.slice(0, 1000) })
      .where(eq(reconcileRuns.id, claimed.id))
      .returning();
    return failed!;
  } finally {
    await db.delete(reconcileRemoteBookings).where(eq(reconcileRemoteBookings.runId, claimed.id));
  }
}

/** Creates and executes runs in this process (CLI, tests, the nightly job). */
export async function reconcileNow(
  db: Db,
  opts: { input: StartReconcileInput; actor: Actor },
): Promise<ReconcileRun[]> {
  const runs = await createReconcileRuns(db, opts);
  const done: ReconcileRun[] = [];
  for (const run of runs) done.push(await executeReconcileRun(db, run.id));
  return done;
}
