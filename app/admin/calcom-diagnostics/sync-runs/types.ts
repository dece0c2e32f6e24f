import type { Jsonify } from "@/lib/client/json";
import type { getRun, listRuns } from "@/lib/sync/runs";
import type { CompanySyncStatus } from "@/lib/sync/status";

/** JSON of the sync routes as the panels receive them, typed from the functions that answer them. */
export type RunJson = Jsonify<Awaited<ReturnType<typeof getRun>>> | Jsonify<Awaited<ReturnType<typeof listRuns>>["runs"][number]>;
export type RunDetailJson = Jsonify<Awaited<ReturnType<typeof getRun>>>;
export type RunsPage = Jsonify<Awaited<ReturnType<typeof listRuns>>> & { companies: Jsonify<CompanySyncStatus>[] };

export function duration(run: Pick<RunJson, "startedAt" | "finishedAt">): string {
  const end = run.finishedAt ? new Date(run.finishedAt).getTime() : Date.now();
  const ms = end - new Date(run.startedAt).getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
