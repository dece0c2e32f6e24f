"use client";

import { useQuery } from "@tanstack/react-query";
import type { listManualBookings } from "@/lib/booking/manual-queue";
import { fetchJson } from "@/lib/client/fetch-json";
import type { Jsonify } from "@/lib/client/json";
import { queryKeys } from "@/lib/client/query-keys";
import type { listOutbox } from "@/lib/outbox/outbox";

export type ManualQueuePage = Jsonify<Awaited<ReturnType<typeof listManualBookings>>>;
export type OutboxPage = Jsonify<Awaited<ReturnType<typeof listOutbox>>>;

/** GET /api/admin/calcom/manual-bookings: the queue is worked live while Cal.com is down, so it polls every 5 s. */
export function useManualQueue(companyId: number | undefined, state: string) {
  const params = new URLSearchParams({ state, limit: "100" });
  if (companyId) params.set("companyId", String(companyId));
  return useQuery({
    queryKey: [...queryKeys.bookings.manual(companyId), state],
    queryFn: () => fetchJson<ManualQueuePage>(`/api/admin/calcom/manual-bookings?${params}`),
    refetchInterval: 5_000,
  });
}

/** GET /api/admin/calcom/bookings/outbox: the last 50 staff notifications. */
export function useOutbox(companyId?: number) {
  return useQuery({
    queryKey: queryKeys.bookings.outbox(companyId),
    queryFn: () =>
      fetchJson<OutboxPage>(`/api/admin/calcom/bookings/outbox?limit=50${companyId ? `&companyId=${companyId}` : ""}`),
    refetchInterval: 10_000,
  });
}
