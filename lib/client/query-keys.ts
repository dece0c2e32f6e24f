/** Every TanStack Query key in one place, so mutations invalidate exactly what they change. */
export const queryKeys = {
  companies: ["companies"] as const,
  users: ["users"] as const,
  audit: (filters: Record<string, string | undefined>) => ["audit", filters] as const,
  appointments: (filters: Record<string, string | undefined>) => ["appointments", filters] as const,
  circuit: (companyId?: number) => ["circuit", companyId ?? "all"] as const,
  sandbox: ["sandbox"] as const,
  overview: (companyId?: number) => ["overview", companyId ?? "all"] as const,
  alerts: (filters: Record<string, string | number | undefined>) => ["alerts", filters] as const,
  slotDebug: (params: Record<string, string>) => ["slot-debug", params] as const,
  slotQueries: (companyId?: number) => ["slot-queries", companyId ?? "all"] as const,
  serviceList: (companyId?: number) => ["service-list", companyId ?? "all"] as const,
};
