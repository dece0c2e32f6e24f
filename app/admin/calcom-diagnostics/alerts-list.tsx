"use client";

import { Time } from "@/components/ui/time";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Select } from "@/components/ui/field";
import type { AlertView } from "@/lib/alerts/alerts";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";

type AlertJson = Omit<AlertView, "openedAt" | "lastSeenAt" | "acknowledgedAt" | "resolvedAt"> & {
  openedAt: string;
  lastSeenAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
};

const SEVERITY_TONE = { critical: "red", warning: "amber", info: "blue" } as const;
const STATUS_TONE = { open: "red", acknowledged: "amber", resolved: "green" } as const;


export function AlertsList({ companyId, canOperate }: { companyId?: number; canOperate: boolean }) {
  const [status, setStatus] = useState("active");
  const queryClient = useQueryClient();
  const filters = { companyId, status };
  const list = useQuery({
    queryKey: queryKeys.alerts(filters),
    queryFn: () =>
      fetchJson<{ alerts: AlertJson[] }>(`/api/admin/calcom/alerts?status=${status}${companyId ? `&companyId=${companyId}` : ""}`),
    refetchInterval: 10_000,
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ["alerts"] });
    void queryClient.invalidateQueries({ queryKey: ["overview"] });
  };
  const acknowledge = useMutation({
    mutationFn: (id: number) => fetchJson(`/api/admin/calcom/alerts/${id}/acknowledge`, { method: "POST", json: {} }),
    onSuccess: refresh,
  });
  const evaluate = useMutation({
    mutationFn: () => fetchJson<{ opened: unknown[]; resolved: number }>(`/api/admin/calcom/alerts/evaluate`, { method: "POST", json: {} }),
    onSuccess: refresh,
  });

  return (
    <Card
      title={<span id="alerts">Alerts</span>}
      actions={
        <>
          <Select aria-label="Alert status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="active">Open and acknowledged</option>
            <option value="open">Open</option>
            <option value="acknowledged">Acknowledged</option>
            <option value="resolved">Resolved</option>
            <option value="all">All</option>
          </Select>
          {canOperate && (
            <Button variant="secondary" onClick={() => evaluate.mutate()} disabled={evaluate.isPending}>
              {evaluate.isPending ? "Checking…" : "Check now"}
            </Button>
          )}
        </>
      }
    >
      {list.error && <p className="text-sm text-red-600">{list.error.message}</p>}
      {acknowledge.error && <p className="text-sm text-red-600">{acknowledge.error.message}</p>}
      {list.data && list.data.alerts.length === 0 && <p className="text-sm text-slate-500">No alerts. Conditions are checked every minute.</p>}
      {list.data && list.data.alerts.length > 0 && (
        <table className="w-full text-sm" aria-label="Alerts">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1">Severity</th>
              <th>Company</th>
              <th>Alert</th>
              <th>Opened</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {list.data.alerts.map((a) => (
              <tr key={a.id}>
                <td className="py-1.5">
                  <Badge tone={SEVERITY_TONE[a.severity]}>{a.severity}</Badge>
                </td>
                <td>{a.companyName ?? "all"}</td>
                <td>
                  <div className="font-medium">{a.title}</div>
                  <div className="text-slate-600">{a.message}</div>
                  {a.occurrences > 1 && <div className="text-xs text-slate-500">seen {a.occurrences} times, last <Time at={a.lastSeenAt} relative /></div>}
                </td>
                <td className="whitespace-nowrap"><Time at={a.openedAt} /></td>
                <td>
                  <Badge tone={STATUS_TONE[a.status]}>{a.status}</Badge>
                  {a.resolvedAt && <div className="text-xs text-slate-500">{a.resolvedReason}</div>}
                </td>
                <td className="text-right">
                  {canOperate && a.status === "open" && (
                    <Button variant="secondary" aria-label={`Acknowledge ${a.title} (${a.companyName ?? "all"})`} onClick={() => acknowledge.mutate(a.id)}>
                      Acknowledge
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
