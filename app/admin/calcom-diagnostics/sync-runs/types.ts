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

export function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

export function duration(run: Pick<RunJson, "startedAt" | "finishedAt">): string {
  const end = run.finishedAt ? new Date(run.finishedAt).getTime() : Date.now();
  const ms = end - new Date(run.startedAt).getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
