import "server-only";
import * as clock from "@/lib/time/clock";
import { and, desc, eq, getTableColumns, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { syncRuns, type SyncCounts, type SyncDiffItem, type SyncRun, type SyncTrigger } from "@/drizzle/schema/sync";
import { writeAudit } from "@/lib/audit/audit";
import { actorLabel, type Actor } from "@/lib/auth/roles";
import type { DbOrTx } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { companyIdSchema, idSchema } from "@/lib/http/params";

/** A running run that has not reported progress for this long belongs to an instance that died. */
const STALE_RUN_MINUTES = 10;

export type StartRunInput = { companyId: number; checkOnly: boolean; trigger: SyncTrigger; actor: Actor };

/**
 * Claim the company's single running slot: the partial unique index sync_runs_one_running lets only one insert win,
 * on any instance. The loser gets a CONFLICT (409) naming the running run.
 */
export async function startRun(db: DbOrTx, input: StartRunInput): Promise<SyncRun> {
  await sweepStaleRuns(db, input.companyId);
  const run = await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(syncRuns)
      .values({
        companyId: input.companyId,
        trigger: input.trigger,
        actorLabel: actorLabel(input.actor),
        actorUserId: input.actor.kind === "user" ? input.actor.userId : null,
        isCheckOnly: input.checkOnly,
      })
      .onConflictDoNothing()
      .returning();
    // A person (or the ops token) starting a run is an admin action; the schedule's runs are in the run history only.
    if (inserted && input.trigger !== "schedule") {
      await writeAudit(tx, {
        actor: input.actor,
        action: input.checkOnly ? "sync.check" : "sync.run",
        targetType: "sync_run",
        targetId: inserted.id,
        companyId: input.companyId,
        details: { trigger: input.trigger },
      });
    }
    return inserted;
  });
  if (run) return run;
  const running = await findRunningRun(db, input.companyId);
  throw new AppError("CONFLICT", `A sync is already running for this company (run #${running?.id ?? "?"})`, {
    runId: running?.id ?? null,
  });
}

/**
 * Mark running runs without progress for STALE_RUN_MINUTES as failed (their instance died). Called before each start
 * and by the every-minute scheduler, so a dead run does not show as "running" until the company's next sync.
 */
export async function sweepStaleRuns(db: DbOrTx, companyId?: number): Promise<number[]> {
  const rows = await db
    .update(syncRuns)
    .set({
      status: "failed",
      phase: "failed",
      reason: `abandoned: no progress for ${STALE_RUN_MINUTES} minutes (the instance running it stopped)`,
      finishedAt: clock.now(),
    })
    .where(
      and(
        companyId ? eq(syncRuns.companyId, companyId) : undefined,
        eq(syncRuns.status, "running"),
        lt(
          syncRuns.heartbeatAt,
          sql`${clock.now().toISOString()}::timestamptz - make_interval(mins => ${STALE_RUN_MINUTES})`,
        ),
      ),
    )
    .returning({ id: syncRuns.id });
  return rows.map((r) => r.id);
}

async function findRunningRun(db: DbOrTx, companyId: number): Promise<SyncRun | null> {
  const [row] = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.companyId, companyId), eq(syncRuns.status, "running")))
    .limit(1);
  return row ?? null;
}

/** Progress while the run goes: phase, counts so far, and a heartbeat that keeps it from being swept as stale. */
export async function reportProgress(
  db: DbOrTx,
  runId: number,
  phase: string,
  counts?: Partial<SyncCounts>,
): Promise<void> {
  await db
    .update(syncRuns)
    .set({
      phase,
      heartbeatAt: clock.now(),
      ...(counts ? { counts: sql`${syncRuns.counts} || ${JSON.stringify(counts)}::jsonb` } : {}),
    })
    .where(and(eq(syncRuns.id, runId), eq(syncRuns.status, "running")));
}

export type FinishRunInput = {
  status: "succeeded" | "aborted" | "failed";
  reason?: string | null;
  counts?: SyncCounts;
  diff?: SyncDiffItem[];
  isShareGuardTripped?: boolean;
};

/** Close the run; throws when it is no longer running (swept as stale), so the caller's transaction rolls back. */
export async function finishRun(db: DbOrTx, runId: number, input: FinishRunInput): Promise<SyncRun> {
  const [row] = await db
    .update(syncRuns)
    .set({
      status: input.status,
      phase: input.status === "succeeded" ? "done" : input.status,
      reason: input.reason ?? null,
      ...(input.counts ? { counts: input.counts } : {}),
      ...(input.diff ? { diff: input.diff } : {}),
      isShareGuardTripped: input.isShareGuardTripped ?? false,
      finishedAt: clock.now(),
      heartbeatAt: clock.now(),
    })
    .where(and(eq(syncRuns.id, runId), eq(syncRuns.status, "running")))
    .returning();
  if (!row)
    throw new AppError("CONFLICT", `Sync run #${runId} is no longer running (it was marked abandoned)`, { runId });
  return row;
}

export const listRunsQuerySchema = z.object({
  companyId: companyIdSchema.optional(),
  cursor: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListRunsQuery = z.infer<typeof listRunsQuerySchema>;

const { diff: _diff, ...summaryColumns } = getTableColumns(syncRuns);
export type SyncRunSummary = Omit<SyncRun, "diff">;

/** Newest first, keyset-paginated on id (sync_runs_company_id / sync_runs_id_desc); the diff only in getRun. */
export async function listRuns(
  db: DbOrTx,
  query: ListRunsQuery,
): Promise<{ runs: SyncRunSummary[]; nextCursor: number | null }> {
  const where: SQL[] = [];
  if (query.companyId) where.push(eq(syncRuns.companyId, query.companyId));
  if (query.cursor) where.push(lt(syncRuns.id, query.cursor));
  const rows = await db
    .select(summaryColumns)
    .from(syncRuns)
    .where(and(...where))
    .orderBy(desc(syncRuns.id))
    .limit(query.limit + 1);
  const runs = rows.slice(0, query.limit);
  return { runs, nextCursor: rows.length > query.limit ? (runs.at(-1)?.id ?? null) : null };
}

export async function getRun(db: DbOrTx, runId: number): Promise<SyncRun> {
  const [row] = await db.select().from(syncRuns).where(eq(syncRuns.id, runId));
  if (!row) throw new AppError("NOT_FOUND", `Sync run #${runId} not found`);
  return row;
}
