"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/client/fetch-json";
import type { Jsonify } from "@/lib/client/json";
import { queryKeys } from "@/lib/client/query-keys";
import type { getOverview } from "@/lib/overview/overview";

export type OverviewCompany = Jsonify<Awaited<ReturnType<typeof getOverview>>[number]>;

/** GET /api/admin/calcom/overview: one tile per company, refreshed every 10 s. */
export function useOverview(companyId?: number) {
  return useQuery({
    queryKey: queryKeys.overview(companyId),
    queryFn: () =>
      fetchJson<{ companies: OverviewCompany[] }>(
        `/api/admin/calcom/overview${companyId ? `?companyId=${companyId}` : ""}`,
      ),
    refetchInterval: 10_000,
  });
}
