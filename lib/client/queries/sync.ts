"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/client/fetch-json";
import type { Jsonify } from "@/lib/client/json";
import { queryKeys } from "@/lib/client/query-keys";
import type { getRun, listRuns } from "@/lib/sync/runs";
import type { CompanySyncStatus } from "@/lib/sync/status";

export type SyncRunDetail = Jsonify<Awaited<ReturnType<typeof getRun>>>;
export type SyncRunsPage = Jsonify<Awaited<ReturnType<typeof listRuns>>> & { companies: Jsonify<CompanySyncStatus>[] };

/** GET /api/admin/calcom/sync/runs: while a run is going its row changes every few hundred ms, so poll fast. */
export function useSyncRuns(companyId?: number) {
  return useQuery({
    queryKey: queryKeys.syncRuns(companyId),
    queryFn: () => fetchJson<SyncRunsPage>(`/api/admin/calcom/sync/runs${companyId ? `?companyId=${companyId}` : ""}`),
    refetchInterval: (q) => (q.state.data?.runs.some((r) => r.status === "running") ? 1_000 : 5_000),
  });
}

/** GET /api/admin/calcom/sync/runs/{id}: one run with its diff; polls while it runs. */
export function useSyncRun(runId: number) {
  return useQuery({
    queryKey: queryKeys.syncRun(runId),
    queryFn: () => fetchJson<{ run: SyncRunDetail }>(`/api/admin/calcom/sync/runs/${runId}`),
    refetchInterval: (q) => (q.state.data?.run.status === "running" ? 1_000 : false),
  });
}
