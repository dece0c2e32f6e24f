"use client";

import { Time } from "@/components/ui/time";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Checkbox, Field, Input } from "@/components/ui/field";
import { ActionForm } from "@/components/ui/form";
import { Table, type Column } from "@/components/ui/table";
import { useDisplayZone } from "@/lib/client/display-zone";
import { fetchJson } from "@/lib/client/fetch-json";
import { formatDate, fromDateTimeLocalValue } from "@/lib/time/format";
import { useReconcileRuns } from "@/lib/client/queries/reconcile";
import { RunDetail } from "./run-detail";
import { RUN_TONE, type RunJson } from "./types";

function StartForm({ companyId, onStarted }: { companyId?: number; onStarted: (runId: number) => void }) {
  const client = useQueryClient();
  const { zone } = useDisplayZone();
  const day = (offset: number) => formatDate(Date.now() + offset * 86_400_000, zone);
  const [from, setFrom] = useState(() => day(-7));
  const [to, setTo] = useState(() => day(30));
  const [incremental, setIncremental] = useState(false);
  const start = useMutation({
    mutationFn: () =>
      fetchJson<{ runs: { id: number }[] }>("/api/admin/calcom/reconcile", {
        method: "POST",
        json: {
          companyId,
          from: fromDateTimeLocalValue(`${from}T00:00`, zone)?.toISOString(),
          to: fromDateTimeLocalValue(`${to}T23:59`, zone)?.toISOString(),
          incremental,
        },
      }),
    onSuccess: async (data) => {
      await client.invalidateQueries({ queryKey: ["reconcile", "runs"] });
      if (data.runs[0]) onStarted(data.runs[0].id);
    },
  });
  return (
    <ActionForm
      label="Start a reconciliation"
      className="flex flex-wrap items-end gap-3"
      onSubmit={() => start.mutate()}
    >
      <Field label={`From (${zone})`} className="w-48">
        <Input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
      </Field>
      <Field label={`To (${zone})`} className="w-48">
        <Input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
      </Field>
      <Checkbox
        className="flex items-center gap-2 pb-2 text-sm"
        checked={incremental}
        onChange={(e) => setIncremental(e.target.checked)}
      >
        Incremental (only changes since the last run)
      </Checkbox>
      <Button type="submit" disabled={start.isPending}>
        Run reconciliation
      </Button>
      <span className="pb-2 text-xs text-slate-500">
        {companyId ? "For the selected company." : "For every company (one run each)."}
      </span>
      {start.error && <p className="w-full text-sm text-red-600">{start.error.message}</p>}
    </ActionForm>
  );
}

function runColumns(onShow: (runId: number) => void): Column<RunJson>[] {
  return [
    {
      key: "run",
      header: "Run",
      cell: (r) => (
        <>
          <button
            type="button"
            className="font-medium underline"
            onClick={() => onShow(r.id)}
            aria-label={`Show run ${r.id}`}
          >
            #{r.id}
          </button>{" "}
          <span className="text-xs text-slate-500">{r.mode}</span>
        </>
      ),
    },
    { key: "company", header: "Company", cell: (r) => r.companyName },
    {
      key: "status",
      header: "Status",
      cell: (r) => (
        <span data-testid={`run-status-${r.id}`}>
          <Badge tone={RUN_TONE[r.status]}>{r.status}</Badge>
        </span>
      ),
    },
    {
      key: "range",
      header: "Range",
      className: "text-xs",
      cell: (r) => (
        <>
          <Time at={r.rangeFrom} /> to <Time at={r.rangeTo} />
        </>
      ),
    },
    { key: "counts", header: "Cal.com / local", cell: (r) => `${r.remoteCount} / ${r.localCount}` },
    { key: "open", header: "Open items", cell: (r) => r.openItems },
    {
      key: "started",
      header: "Started",
      className: "text-xs text-slate-500",
      cell: (r) => <Time at={r.startedAt ?? r.createdAt} />,
    },
  ];
}

export function ReconcilePanel({ companyId, canOperate }: { companyId?: number; canOperate: boolean }) {
  const runs = useReconcileRuns(companyId);
  const [selected, setSelected] = useState<number | null>(null);
  const current = selected ?? runs.data?.runs[0]?.id ?? null;
  return (
    <div className="space-y-4">
      {canOperate && (
        <Card title="New run">
          <StartForm companyId={companyId} onStarted={setSelected} />
        </Card>
      )}
      <Card title="Runs">
        {runs.error && <p className="text-sm text-red-600">{runs.error.message}</p>}
        {!runs.data && !runs.error && <p className="text-sm text-slate-500">Loading…</p>}
        {runs.data?.runs.length === 0 && (
          <EmptyState title="No runs yet">
            {canOperate
              ? "Start one above; a nightly incremental run also starts at 02:30 UTC."
              : "An operator can start one; a nightly run starts at 02:30 UTC."}
          </EmptyState>
        )}
        {!!runs.data?.runs.length && (
          <Table
            label="Reconciliation runs"
            rows={runs.data.runs}
            columns={runColumns(setSelected)}
            rowKey={(r) => r.id}
            selectedKey={current}
            onRowClick={(r) => setSelected(r.id)}
            empty={null}
          />
        )}
      </Card>
      {current && <RunDetail runId={current} canOperate={canOperate} />}
    </div>
  );
}
