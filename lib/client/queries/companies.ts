"use client";

import { useQuery } from "@tanstack/react-query";
import type { listCompanies } from "@/lib/companies/companies";
import { fetchJson } from "@/lib/client/fetch-json";
import type { Jsonify } from "@/lib/client/json";
import { queryKeys } from "@/lib/client/query-keys";

export type CompanyJson = Jsonify<Awaited<ReturnType<typeof listCompanies>>[number]>;

/** GET /api/admin/calcom/companies: every company as the browser may see it (keys and secrets masked). */
export function useCompanies() {
  return useQuery({
    queryKey: queryKeys.companies,
    queryFn: () => fetchJson<{ companies: CompanyJson[] }>("/api/admin/calcom/companies"),
  });
}
