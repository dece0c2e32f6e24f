"use client";

import { useQuery } from "@tanstack/react-query";
import type { listFallbackModes } from "@/lib/booking/fallback-mode";
import type { getCircuitOverview } from "@/lib/calcom/circuit-overview";
import { fetchJson } from "@/lib/client/fetch-json";
import type { Jsonify } from "@/lib/client/json";
import { queryKeys } from "@/lib/client/query-keys";

export type FallbackMode = Jsonify<Awaited<ReturnType<typeof listFallbackModes>>[number]>;
export type Circuit = Jsonify<Awaited<ReturnType<typeof getCircuitOverview>>[number]>;

/** GET /api/admin/calcom/fallback-mode: per company, whether callers are sent to the manual queue. */
export function useFallbackModes(companyId?: number) {
  return useQuery({
    queryKey: queryKeys.bookings.fallback(companyId),
    queryFn: () =>
      fetchJson<{ modes: FallbackMode[] }>(
        `/api/admin/calcom/fallback-mode${companyId ? `?companyId=${companyId}` : ""}`,
      ),
    refetchInterval: 15_000,
  });
}

/** GET /api/admin/calcom/circuit: breaker state per company. An open circuit must be visible quickly: every 3 s. */
export function useCircuits(companyId?: number, refetchInterval = 3_000) {
  return useQuery({
    queryKey: queryKeys.circuit(companyId),
    queryFn: () =>
      fetchJson<{ circuits: Circuit[] }>(`/api/admin/calcom/circuit${companyId ? `?companyId=${companyId}` : ""}`),
    refetchInterval,
  });
}
