"use client";

import { Time } from "@/components/ui/time";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, type Column } from "@/components/ui/table";
import { plural } from "@/lib/time/format";
import { fetchJson } from "@/lib/client/fetch-json";
import { useSyncRuns } from "@/lib/client/queries/sync";
import type { CompanySyncStatus } from "@/lib/sync/status";
import { RunDetail } from "./run-detail";
import { duration, type RunJson } from "./types";

const STATUS_TONE: Record<string, Tone> = { running: "blue", succeeded: "green", aborted: "red", failed: "red" };

export function SyncRunsPanel({ companyId, canOperate }: { companyId?: number; canOperate: boolean }) {
  const [selected, setSelected] = useState<number | null>(null);
  const runs = useSyncRuns(companyId);
  if (runs.error) return <p className="text-sm text-red-600">{runs.error.message}</p>;
  if (!runs.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const names = new Map(runs.data.companies.map((c) => [c.company_id, c.company_name]));
  return (
    <div className="space-y-4">
      <div className="grid gap-4 xl:grid-cols-2">
        {runs.data.companies.map((c) => (
          <CompanyFreshness key={c.company_id} status={c} canOperate={canOperate} onStarted={setSelected} />
        ))}
      </div>
      {selected !== null && (
        <RunDetail runId={selected} companyName={names} canOperate={canOperate} onClose={() => setSelected(null)} />
      )}
      <Card title="History">
        {runs.data.runs.length === 0 ? (
          <EmptyState title="No sync runs yet">
            Start one with Run now or Check only; the schedule runs every company every 30 minutes by default.
          </EmptyState>
        ) : (
          <RunsTable runs={runs.data.runs} names={names} selected={selected} onSelect={setSelected} />
        )}
      </Card>
    </div>
  );
}

function CompanyFreshness({
  status: c,
  canOperate,
  onStarted,
}: {
  status: CompanySyncStatus;
  canOperate: boolean;
  onStarted: (id: number) => void;
}) {
  const client = useQueryClient();
  const start = useMutation({
    mutationFn: (checkOnly: boolean) =>
      fetchJson<{ run: RunJson }>("/api/admin/calcom/sync", {
        method: "POST",
        json: { companyId: c.company_id, checkOnly },
      }),
    onSuccess: (data) => {
      onStarted(data.run.id);
      return client.invalidateQueries({ queryKey: ["sync"] });
    },
  });
  const isRunning = c.running_run_id !== null;
  return (
    <Card
      title={c.company_name}
      actions={
        <span data-testid={`sync-freshness-${c.company_id}`}>
          {c.is_stale ? <Badge tone="amber">stale</Badge> : <Badge tone="green">fresh</Badge>}
          {isRunning && <Badge tone="blue">running</Badge>}
        </span>
      }
    >
      <p className="text-sm">
        Last successful sync <Time at={c.last_sync} relative />, expected every {c.interval_minutes} min
        {c.is_schedule_enabled ? "" : " (schedule paused)"}.
      </p>
      <p className="mt-1 text-sm text-slate-600">
        {c.event_types_count} event types mirrored · {c.pending_review} pending review · share guard{" "}
        {c.orphan_share_percent}% · auto-deactivate {c.is_auto_deactivate ? "on" : "off"}
      </p>
      {c.sync_errors.length > 0 && (
        <ul className="mt-2 space-y-1 text-sm text-red-700" aria-label={`Sync errors of ${c.company_name}`}>
          {c.sync_errors.slice(0, 3).map((e) => (
            <li key={e.run_id}>
              Run #{e.run_id} {e.status} <Time at={e.at} relative />: {e.reason}
            </li>
          ))}
        </ul>
      )}
      {canOperate && (
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <Button
            onClick={() => start.mutate(false)}
            disabled={start.isPending || isRunning}
            aria-label={`Run now for ${c.company_name}`}
          >
            Run now
          </Button>
          <Button
            variant="secondary"
            onClick={() => start.mutate(true)}
            disabled={start.isPending || isRunning}
            aria-label={`Check only for ${c.company_name}`}
          >
            Check only
          </Button>
          {start.error && <span className="text-sm text-red-600">{start.error.message}</span>}
        </div>
      )}
    </Card>
  );
}

const RUN_COLUMNS = (names: Map<number, string>, onSelect: (id: number) => void): Column<RunJson>[] => [
  {
    key: "run",
    header: "Run",
    cell: (r) => (
      <button
        className="font-medium text-sky-700 underline"
        onClick={() => onSelect(r.id)}
        aria-label={`Show run ${r.id}`}
      >
        #{r.id}
      </button>
    ),
  },
  { key: "company", header: "Company", cell: (r) => names.get(r.companyId) ?? r.companyId },
  {
    key: "status",
    header: "Status",
    cell: (r) => (
      <>
        <Badge tone={STATUS_TONE[r.status]}>{r.status}</Badge>{" "}
        {r.isShareGuardTripped && <Badge tone="amber">share guard</Badge>}
        {r.status === "running" && <span className="ml-1 text-xs text-slate-500">{r.phase}</span>}
        <div className="text-xs text-slate-500">
          {r.isCheckOnly ? "check only" : "live"} · {r.trigger}
        </div>
      </>
    ),
  },
  {
    key: "counts",
    header: "Found · matched · new · missing · orphaned",
    cell: (r) => (
      <span className="tabular-nums">
        {r.counts.found} · {r.counts.matched} · {r.counts.new} · {r.counts.missing} · {r.counts.orphaned}
        {(r.counts.deactivated > 0 || r.counts.errors > 0) && (
          <span className="block text-xs text-red-700">
            {r.counts.deactivated} deactivated, {plural(r.counts.errors, "error")}
          </span>
        )}
      </span>
    ),
  },
  {
    key: "started",
    header: "Started",
    cell: (r) => <Time at={r.startedAt} />,
    className: "whitespace-nowrap text-slate-600",
  },
  { key: "duration", header: "Took", cell: (r) => duration(r), isSecondary: true },
  { key: "by", header: "By", cell: (r) => r.actorLabel, className: "break-all text-slate-600", isSecondary: true },
];

function RunsTable({
  runs,
  names,
  selected,
  onSelect,
}: {
  runs: RunJson[];
  names: Map<number, string>;
  selected: number | null;
  onSelect: (id: number) => void;
}) {
  return (
    <Table
      label="Sync runs"
      rows={runs}
      columns={RUN_COLUMNS(names, onSelect)}
      rowKey={(r) => r.id}
      selectedKey={selected}
      empty="No sync runs yet."
    />
  );
}
