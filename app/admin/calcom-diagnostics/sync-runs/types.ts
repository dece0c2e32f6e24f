import type { SyncCounts, SyncDiffItem } from "@/drizzle/schema/sync";
import type { CompanySyncStatus } from "@/lib/sync/status";

/** JSON shapes of the sync routes as the panels receive them (dates as ISO strings). */
export type RunJson = {
  id: number;
  companyId: number;
  trigger: string;
  actorLabel: string;
  isCheckOnly: boolean;
  status: "running" | "succeeded" | "aborted" | "failed";
  phase: string;
  reason: string | null;
  isShareGuardTripped: boolean;
  counts: SyncCounts;
  startedAt: string;
  finishedAt: string | null;
  diff?: SyncDiffItem[];
};

export type RunsPage = { runs: RunJson[]; nextCursor: number | null; companies: CompanySyncStatus[] };

export function duration(run: Pick<RunJson, "startedAt" | "finishedAt">): string {
  const end = run.finishedAt ? new Date(run.finishedAt).getTime() : Date.now();
  const ms = end - new Date(run.startedAt).getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
