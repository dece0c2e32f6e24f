import "server-only";
import type { SyncRun } from "@/drizzle/schema/sync";
import type { Db } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { listSyncableCompanies, runSync, type RunSyncOptions } from "./sync";

export type SyncAllResult = {
  runs: SyncRun[];
  /** Companies that already had a run going: reported, not an error. */
  conflicts: { companyId: number; runId: unknown; message: string }[];
};

/**
 * The fan-out behind "sync every company" (route without companyId, CLI --all, scheduler): one run per company with a
 * Cal.com team. `start` decides whether each run is awaited (runSync) or started in the background.
 */
export async function syncAllCompanies(
  db: Db,
  opts: Omit<RunSyncOptions, "companyId">,
  start: (opts: RunSyncOptions) => Promise<SyncRun> = (o) => runSync(db, o),
): Promise<SyncAllResult> {
  const result: SyncAllResult = { runs: [], conflicts: [] };
  for (const company of await listSyncableCompanies(db)) {
    try {
      result.runs.push(await start({ ...opts, companyId: company.id }));
    } catch (error) {
      if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
      result.conflicts.push({ companyId: company.id, runId: error.details?.runId ?? null, message: error.message });
    }
  }
  return result;
}
