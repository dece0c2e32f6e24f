"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/client/fetch-json";
import type { Jsonify } from "@/lib/client/json";
import { queryKeys } from "@/lib/client/query-keys";
import type { getWebhookDelivery, listWebhookDeliveries } from "@/lib/webhooks/log";
import type { Freshness } from "@/lib/webhooks/settings";

export type WebhookPage = Jsonify<Awaited<ReturnType<typeof listWebhookDeliveries>>>;
export type WebhookDelivery = Jsonify<Awaited<ReturnType<typeof getWebhookDelivery>>>;
export type WebhookFreshness = Jsonify<Freshness>;
export type WebhookFilters = {
  companyId?: string;
  trigger?: string;
  verdict?: string;
  status?: string;
  bookingUid?: string;
  from?: string;
  to?: string;
};

/** GET /api/admin/calcom/webhooks: the delivery log, newest first; live refresh every 5 s while on. */
export function useWebhookLog(filters: WebhookFilters, isLive: boolean) {
  return useInfiniteQuery({
    queryKey: queryKeys.webhooks(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => {
      const qs = new URLSearchParams(
        Object.entries({ ...filters, cursor: pageParam }).filter((e): e is [string, string] => Boolean(e[1])),
      );
      return fetchJson<WebhookPage>(`/api/admin/calcom/webhooks?${qs}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: isLive ? 5_000 : false,
  });
}

/** GET /api/admin/calcom/webhooks/{id}: one delivery with attempts and changes; polls while it is pending. */
export function useWebhookDelivery(id: number) {
  return useQuery({
    queryKey: queryKeys.webhook(id),
    queryFn: () => fetchJson<WebhookDelivery>(`/api/admin/calcom/webhooks/${id}`),
    refetchInterval: (q) => (q.state.data?.status === "pending" ? 2_000 : false),
  });
}

/** GET /api/admin/calcom/webhooks/freshness: last verified delivery per company; every 30 s. */
export function useWebhookFreshness(companyId?: number) {
  return useQuery({
    queryKey: queryKeys.webhookFreshness(companyId),
    queryFn: () =>
      fetchJson<{ companies: WebhookFreshness[] }>(
        `/api/admin/calcom/webhooks/freshness${companyId ? `?companyId=${companyId}` : ""}`,
      ),
    refetchInterval: 30_000,
  });
}
