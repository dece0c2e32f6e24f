"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/client/fetch-json";
import type { Jsonify } from "@/lib/client/json";
import { queryKeys } from "@/lib/client/query-keys";
import type { getReconcileRun, listReconcileRuns } from "@/lib/reconcile/queries";

export type ReconcileRunsPage = Jsonify<Awaited<ReturnType<typeof listReconcileRuns>>>;
export type ReconcileRunDetail = Jsonify<Awaited<ReturnType<typeof getReconcileRun>>>;

/** GET /api/admin/calcom/reconcile/runs: fast polling while a run is queued or running, slow otherwise. */
export function useReconcileRuns(companyId?: number) {
  return useQuery({
    queryKey: queryKeys.reconcileRuns(companyId),
    queryFn: () =>
      fetchJson<ReconcileRunsPage>(`/api/admin/calcom/reconcile/runs${companyId ? `?companyId=${companyId}` : ""}`),
    refetchInterval: (q) =>
      q.state.data?.runs.some((r) => r.status === "queued" || r.status === "running") ? 1_500 : 15_000,
  });
}

/** GET /api/admin/calcom/reconcile/runs/{id}: the run and its items (first 100) by class and status. */
export function useReconcileRun(runId: number, filters: { class?: string; status?: string }) {
  return useQuery({
    queryKey: queryKeys.reconcileRun(runId, filters),
    queryFn: () => {
      const qs = new URLSearchParams({ limit: "100" });
      if (filters.class) qs.set("class", filters.class);
      if (filters.status) qs.set("status", filters.status);
      return fetchJson<ReconcileRunDetail>(`/api/admin/calcom/reconcile/runs/${runId}?${qs}`);
    },
    refetchInterval: (q) => (q.state.data && ["queued", "running"].includes(q.state.data.run.status) ? 1_500 : false),
  });
}
