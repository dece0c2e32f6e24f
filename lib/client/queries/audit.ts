"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import type { listAudit } from "@/lib/audit/audit";
import { fetchJson } from "@/lib/client/fetch-json";
import type { Jsonify } from "@/lib/client/json";
import { queryKeys } from "@/lib/client/query-keys";

export type AuditPage = Jsonify<Awaited<ReturnType<typeof listAudit>>>;
export type AuditFilters = { companyId?: string; action?: string; actor?: string; q?: string };

/** GET /api/admin/calcom/audit, newest first, a page of 50 at a time. */
export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: queryKeys.audit(filters),
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => {
      const qs = new URLSearchParams(
        Object.entries({ ...filters, cursor: pageParam?.toString() }).filter((e): e is [string, string] =>
          Boolean(e[1]),
        ),
      );
      return fetchJson<AuditPage>(`/api/admin/calcom/audit?${qs}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 15_000,
  });
}
