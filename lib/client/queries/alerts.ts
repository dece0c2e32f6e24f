"use client";

import { useQuery } from "@tanstack/react-query";
import type { listAlerts } from "@/lib/alerts/alerts";
import { fetchJson } from "@/lib/client/fetch-json";
import type { Jsonify } from "@/lib/client/json";
import { queryKeys } from "@/lib/client/query-keys";

export type AlertsPage = Jsonify<Awaited<ReturnType<typeof listAlerts>>>;
export type AlertItem = AlertsPage["alerts"][number];

/** GET /api/admin/calcom/alerts: refreshed every 10 s, like the overview. */
export function useAlerts(filters: { companyId?: number; status: string }) {
  return useQuery({
    queryKey: queryKeys.alerts(filters),
    queryFn: () =>
      fetchJson<AlertsPage>(
        `/api/admin/calcom/alerts?status=${filters.status}${filters.companyId ? `&companyId=${filters.companyId}` : ""}`,
      ),
    refetchInterval: 10_000,
  });
}
