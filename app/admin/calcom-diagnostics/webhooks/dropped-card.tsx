"use client";

import { useQuery } from "@tanstack/react-query";
import { Card } from "@/components/ui/card";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import type { DroppedRow } from "@/lib/webhooks/rate-limit";

type Dropped = { limitPerMinute: number; rows: (Omit<DroppedRow, "minute"> & { minute: string })[] };

/** Rejected deliveries beyond the per-address limit are answered 429 and only counted: this shows those counts. */
export function DroppedCard() {
  const query = useQuery({
    queryKey: queryKeys.webhookDropped(),
    queryFn: () => fetchJson<Dropped>("/api/admin/calcom/webhooks/dropped"),
    refetchInterval: 30_000,
  });
  const rows = query.data?.rows ?? [];
  const total = rows.reduce((sum, r) => sum + r.dropped, 0);
  return (
    <Card title="Dropped rejected deliveries (24 h)">
      {query.error && <p className="text-sm text-red-600">{query.error.message}</p>}
      <p className="mb-2 text-sm text-slate-600">
        Up to {query.data?.limitPerMinute ?? "…"} rejected deliveries per source address and minute are logged above;
        the rest were answered 429 and are only counted here.{" "}
        {query.data && (total === 0 ? "None were dropped." : `${total} dropped in all.`)}
      </p>
      {rows.length > 0 && (
        <table className="w-full text-left text-sm" aria-label="Dropped rejected deliveries per address and minute">
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="py-1 font-medium">Minute</th>
              <th className="py-1 font-medium">Source address</th>
              <th className="py-1 text-right font-medium">Rejected</th>
              <th className="py-1 text-right font-medium">Dropped</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r) => (
              <tr key={`${r.address}-${r.minute}`}>
                <td className="py-1">{new Date(r.minute).toLocaleString()}</td>
                <td className="py-1 font-mono text-xs">{r.address}</td>
                <td className="py-1 text-right tabular-nums">{r.rejected}</td>
                <td className="py-1 text-right tabular-nums">{r.dropped}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
