"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Table, type Column } from "@/components/ui/table";
import type { DiffKind, SyncDiffItem } from "@/drizzle/schema/sync";
import { fetchJson } from "@/lib/client/fetch-json";
import { useSyncRun } from "@/lib/client/queries/sync";
import { useScrollIntoView } from "@/lib/client/use-scroll-into-view";
import { ErrorMessage, Loading } from "@/components/ui/query-state";
import { plural } from "@/lib/time/format";
import { duration } from "./types";

const KIND_ORDER: DiffKind[] = [
  "would_deactivate",
  "deactivated",
  "orphaned",
  "missing",
  "recovered",
  "linked_by_name",
  "unmatched",
  "changed",
  "removed",
  "new",
  "matched",
];
const KIND_LABEL: Record<DiffKind, string> = {
  would_deactivate: "would be deactivated",
  deactivated: "deactivated",
  orphaned: "orphaned (in review)",
  missing: "missing",
  recovered: "found again",
  linked_by_name: "linked by name",
  unmatched: "no event type",
  changed: "changed in Cal.com",
  removed: "left the team list",
  new: "new",
  matched: "matched",
};
const KIND_TONE: Record<DiffKind, Tone> = {
  would_deactivate: "red",
  deactivated: "red",
  orphaned: "amber",
  missing: "amber",
  recovered: "green",
  linked_by_name: "blue",
  unmatched: "gray",
  changed: "blue",
  removed: "gray",
  new: "blue",
  matched: "green",
};

export function RunDetail({
  runId,
  companyName,
  canOperate,
  onClose,
}: {
  runId: number;
  companyName: Map<number, string>;
  canOperate: boolean;
  onClose: () => void;
}) {
  const top = useScrollIntoView(runId);
  const run = useSyncRun(runId);
  if (run.error)
    return (
      <div ref={top}>
        <ErrorMessage error={run.error} />
      </div>
    );
  if (!run.data)
    return (
      <div ref={top}>
        <Loading what={`Loading run #${runId}`} />
      </div>
    );
  const r = run.data.run;
  const diff = [...(r.diff ?? [])].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  const c = r.counts;
  return (
    <div ref={top} className="scroll-mt-4">
      <Card
        title={`Run #${r.id} · ${companyName.get(r.companyId) ?? r.companyId} · ${r.isCheckOnly ? "check only" : "live"}`}
        actions={
          <>
            <Badge tone={r.status === "succeeded" ? "green" : r.status === "running" ? "blue" : "red"}>
              {r.status}
            </Badge>
            <Button
              variant="secondary"
              className="px-2 py-0.5 text-xs"
              onClick={onClose}
              aria-label={`Close run ${r.id}`}
            >
              Close
            </Button>
          </>
        }
      >
        <div className="space-y-2 text-sm" data-testid="run-summary">
          {r.status === "running" && (
            <p>
              In progress: {r.phase} ({duration(r)} so far)
            </p>
          )}
          {r.reason && <p className="font-medium text-red-700">{r.reason}</p>}
          {r.isShareGuardTripped && (
            <p className="font-medium text-amber-700">
              Share guard tripped: nothing was deactivated; the missing services are in the Services review.
            </p>
          )}
          <p>
            Found {c.found} event types: {c.matched} matched, {c.new} new, {c.missing} missing, {c.orphaned} orphaned,{" "}
            {c.deactivated} {r.isCheckOnly ? "would be deactivated" : "deactivated"}, {plural(c.errors, "error")}. Took{" "}
            {duration(r)}; started by {r.actorLabel} ({r.trigger}).
          </p>
          {r.isCheckOnly && (
            <p className="text-slate-600">Check only: this is what a live run would change now. Nothing was changed.</p>
          )}
        </div>
        {diff.length > 0 && <DiffTable runId={r.id} companyId={r.companyId} diff={diff} canImport={canOperate} />}
      </Card>
    </div>
  );
}

const DIFF_COLUMNS: Column<SyncDiffItem>[] = [
  { key: "change", header: "Change", cell: (d) => <Badge tone={KIND_TONE[d.kind]}>{KIND_LABEL[d.kind]}</Badge> },
  { key: "service", header: "Service", cell: (d) => d.serviceName ?? "" },
  {
    key: "eventType",
    header: "Event type",
    cell: (d) => (
      <>
        {d.eventTypeTitle ?? ""}{" "}
        {d.eventTypeId ? <span className="font-mono text-xs text-slate-500">{d.eventTypeId}</span> : null}
      </>
    ),
  },
  {
    key: "why",
    header: "Why",
    cell: (d) => `${d.reason ? d.reason.replaceAll("_", " ") : ""}${d.misses ? ` (${d.misses} of 3)` : ""}`,
  },
  { key: "note", header: "Note", className: "text-slate-600", isSecondary: true, cell: (d) => d.note ?? "" },
];

function DiffTable({
  runId,
  companyId,
  diff,
  canImport,
}: {
  runId: number;
  companyId: number;
  diff: SyncDiffItem[];
  canImport: boolean;
}) {
  const client = useQueryClient();
  const importEt = useMutation({
    mutationFn: (eventTypeId: number) =>
      fetchJson("/api/admin/calcom/sync/import", { method: "POST", json: { companyId, eventTypeIds: [eventTypeId] } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["sync"] }),
  });
  const importColumn: Column<SyncDiffItem> = {
    key: "actions",
    header: <span className="sr-only">Actions</span>,
    cell: (d) =>
      d.kind === "new" &&
      d.eventTypeId &&
      d.note === "available for import" && (
        <Button
          variant="secondary"
          className="px-2 py-0.5 text-xs"
          disabled={importEt.isPending}
          onClick={() => importEt.mutate(d.eventTypeId!)}
          aria-label={`Import ${d.eventTypeTitle}`}
        >
          Import
        </Button>
      ),
  };
  return (
    <div className="mt-3 max-h-[32rem] overflow-y-auto">
      {importEt.error && <p className="mb-2 text-sm text-red-600">{importEt.error.message}</p>}
      {importEt.isSuccess && <p className="mb-2 text-sm text-emerald-700">Imported as a service.</p>}
      <Table
        label={`Diff of run ${runId}`}
        rows={diff.map((d, i) => ({ ...d, key: `${d.kind}-${d.serviceId ?? ""}-${d.eventTypeId ?? ""}-${i}` }))}
        columns={canImport ? [...DIFF_COLUMNS, importColumn] : DIFF_COLUMNS}
        rowKey={(d) => d.key}
        empty={null}
      />
    </div>
  );
}
