import type { SyncRunDetail, SyncRunsPage } from "@/lib/client/queries/sync";

/** JSON of the sync routes as the panels receive them, typed from the functions that answer them. */
export type RunJson = SyncRunDetail | SyncRunsPage["runs"][number];

export function duration(run: Pick<RunJson, "startedAt" | "finishedAt">): string {
  const end = run.finishedAt ? new Date(run.finishedAt).getTime() : Date.now();
  const ms = end - new Date(run.startedAt).getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
