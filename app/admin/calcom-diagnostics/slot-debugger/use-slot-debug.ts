"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import type { DebugResult } from "@/lib/slots/context";

/** The permalink: every input of a debug lives in the URL query. */
export type DebugParams = {
  company: string;
  service: string;
  eventType: string;
  from: string;
  to: string;
  tz: string;
  at: string;
};
export const PARAM_NAMES = ["company", "service", "eventType", "from", "to", "tz", "at"] as const;

export function readParams(search: URLSearchParams): DebugParams {
  const get = (k: string) => search.get(k) ?? "";
  return {
    company: get("company"),
    service: get("service"),
    eventType: get("eventType"),
    from: get("from"),
    to: get("to"),
    tz: get("tz"),
    at: get("at"),
  };
}

export type ServiceRow = { id: number; name: string; calcomEventTypeId: number | null; isActive: boolean };

export function useServices(companyId?: number) {
  return useQuery({
    queryKey: queryKeys.serviceList(companyId),
    queryFn: () => fetchJson<{ services: ServiceRow[] }>(`/api/admin/calcom/services?companyId=${companyId}`),
    enabled: Boolean(companyId),
  });
}

/** The debug itself; "at" is left out of the key: the panel explains any time from the loaded context. */
export function useSlotDebug(p: DebugParams) {
  const ready = Boolean(p.company && (p.service || p.eventType) && p.from);
  const query: Record<string, string> = { companyId: p.company, from: p.from };
  if (p.eventType) query.eventTypeId = p.eventType;
  else if (p.service) query.serviceId = p.service;
  if (p.to) query.to = p.to;
  if (p.tz) query.timeZone = p.tz;
  return useQuery({
    queryKey: queryKeys.slotDebug(query),
    // The signal lets the panel cancel a slow Cal.com answer.
    queryFn: ({ signal }) =>
      fetchJson<DebugResult>(`/api/admin/calcom/slots?${new URLSearchParams(query)}`, { signal }),
    enabled: ready,
    // A debug is a deliberate action: no background refetch that would record queries nobody asked for.
    refetchOnWindowFocus: false,
    staleTime: Infinity,
    retry: false,
  });
}
