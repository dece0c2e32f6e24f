"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Select } from "@/components/ui/field";
import { ErrorMessage } from "@/components/ui/query-state";
import { Table, type Column } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { useToast } from "@/components/ui/toaster";
import { fetchJson } from "@/lib/client/fetch-json";
import { useAlerts, type AlertItem } from "@/lib/client/queries/alerts";
import { plural } from "@/lib/time/format";
import { BASE_PATH } from "./nav-items";

const SEVERITY_TONE = { critical: "red", warning: "amber", info: "blue" } as const;
const STATUS_TONE = { open: "red", acknowledged: "amber", resolved: "green" } as const;

/** The panel where the condition behind each alert kind is seen and fixed. */
const PANEL: Record<string, { path: string; label: string }> = {
  api_success_rate: { path: "/metrics", label: "Metrics" },
  api_latency: { path: "/metrics", label: "Metrics" },
  circuit_open: { path: "/circuit", label: "Circuit" },
  circuit_trips: { path: "/circuit", label: "Circuit" },
  manual_queue_age: { path: "/bookings", label: "Bookings" },
  sync_stale: { path: "/sync-runs", label: "Sync runs" },
  webhook_silence: { path: "/webhooks", label: "Webhooks" },
};

export function AlertsList({ companyId, canOperate }: { companyId?: number; canOperate: boolean }) {
  const [status, setStatus] = useState("active");
  const queryClient = useQueryClient();
  const toast = useToast();
  const list = useAlerts({ companyId, status });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ["alerts"] });
    void queryClient.invalidateQueries({ queryKey: ["overview"] });
  };
  const acknowledge = useMutation({
    mutationFn: (a: AlertItem) =>
      fetchJson(`/api/admin/calcom/alerts/${a.id}/acknowledge`, { method: "POST", json: {} }),
    onSuccess: (_d, a) => {
      toast(`"${a.title}" acknowledged: it stays listed until its condition clears, then resolves by itself.`);
      refresh();
    },
  });
  const evaluate = useMutation({
    mutationFn: () =>
      fetchJson<{ opened: unknown[]; resolved: number; active: number }>(`/api/admin/calcom/alerts/evaluate`, {
        method: "POST",
        json: {},
      }),
    onSuccess: (r) => {
      toast(
        `Checked every condition: ${plural(r.opened.length, "alert")} opened, ${r.resolved} resolved, ${r.active} still holding.`,
      );
      refresh();
    },
  });

  const columns: Column<AlertItem>[] = [
    { key: "severity", header: "Severity", cell: (a) => <Badge tone={SEVERITY_TONE[a.severity]}>{a.severity}</Badge> },
    { key: "company", header: "Company", cell: (a) => a.companyName ?? "all" },
    {
      key: "alert",
      header: "Alert",
      cell: (a) => {
        const panel = PANEL[a.kind];
        return (
          <>
            <div className="font-medium">
              {panel ? (
                <Link
                  className="underline underline-offset-2"
                  href={`${BASE_PATH}${panel.path}${a.companyId ? `?company=${a.companyId}` : ""}`}
                  aria-label={`${a.title}: open ${panel.label}`}
                >
                  {a.title}
                </Link>
              ) : (
                a.title
              )}
            </div>
            <div className="text-slate-600">{a.message}</div>
            {a.occurrences > 1 && (
              <div className="text-xs text-slate-500">
                seen {plural(a.occurrences, "time")}, last <Time at={a.lastSeenAt} relative />
              </div>
            )}
          </>
        );
      },
    },
    { key: "opened", header: "Opened", cell: (a) => <Time at={a.openedAt} relative />, className: "whitespace-nowrap" },
    {
      key: "status",
      header: "Status",
      cell: (a) => (
        <>
          <Badge tone={STATUS_TONE[a.status]}>{a.status}</Badge>
          {a.resolvedAt && <div className="text-xs text-slate-500">{a.resolvedReason}</div>}
        </>
      ),
    },
    {
      key: "actions",
      header: <span className="sr-only">Actions</span>,
      className: "text-right",
      cell: (a) =>
        canOperate && a.status === "open" ? (
          <Button
            variant="secondary"
            aria-label={`Acknowledge ${a.title} (${a.companyName ?? "all"})`}
            disabled={acknowledge.isPending}
            onClick={() => acknowledge.mutate(a)}
          >
            Acknowledge
          </Button>
        ) : null,
    },
  ];

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
      <ErrorMessage error={list.error ?? acknowledge.error ?? evaluate.error} />
      <Table
        label="Alerts"
        rows={list.data?.alerts ?? []}
        columns={columns}
        rowKey={(a) => a.id}
        isLoading={list.isLoading}
        empty="No alerts. Conditions are checked every minute; alerts resolve by themselves when their condition clears."
      />
    </Card>
  );
}
