"use client";

import { Time } from "@/components/ui/time";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/field";
import type { ReconcileClass, ReconcileFix } from "@/drizzle/schema/reconcile";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import { ALLOWED_FIXES, CLASS_LABELS, FIX_HELP, FIX_LABELS } from "@/lib/reconcile/fix-rules";
import { ItemRow } from "./item-row";
import { RUN_TONE, type RunDetailJson } from "./types";

const CLASSES = Object.keys(CLASS_LABELS) as ReconcileClass[];

function useRunDetail(runId: number, filters: { class?: string; status?: string }) {
  return useQuery({
    queryKey: queryKeys.reconcileRun(runId, filters),
    queryFn: () => {
      const qs = new URLSearchParams({ limit: "100" });
      if (filters.class) qs.set("class", filters.class);
      if (filters.status) qs.set("status", filters.status);
      return fetchJson<RunDetailJson>(`/api/admin/calcom/reconcile/runs/${runId}?${qs}`);
    },
    refetchInterval: (q) => (q.state.data && ["queued", "running"].includes(q.state.data.run.status) ? 1_500 : false),
  });
}

function BulkFix({ runId, cls, open }: { runId: number; cls: ReconcileClass; open: number }) {
  const client = useQueryClient();
  const [fix, setFix] = useState<ReconcileFix>(ALLOWED_FIXES[cls][0]!);
  const bulk = useMutation({
    mutationFn: () => fetchJson<{ fixed: number; failed: number }>(`/api/admin/calcom/reconcile/runs/${runId}/bulk-fix`, { method: "POST", json: { class: cls, fix } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["reconcile"] }),
  });
  return (
    <form
      aria-label={`Bulk fix ${CLASS_LABELS[cls]}`}
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (window.confirm(`${FIX_LABELS[fix]} for all ${open} open "${CLASS_LABELS[cls]}" items?`)) bulk.mutate();
      }}
    >
      <div className="w-56">
        <Field label="Fix for every open item">
          <Select value={fix} onChange={(e) => setFix(e.target.value as ReconcileFix)}>
            {ALLOWED_FIXES[cls].map((f) => (
              <option key={f} value={f}>
                {FIX_LABELS[f]}{FIX_HELP[cls][f] ? `: ${FIX_HELP[cls][f]}` : ""}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Button type="submit" variant="secondary" disabled={bulk.isPending || open === 0}>
        Apply to {open} open
      </Button>
      {bulk.data && <span className="text-sm text-slate-600">{bulk.data.fixed} fixed, {bulk.data.failed} failed</span>}
      {bulk.error && <span className="text-sm text-red-600">{bulk.error.message}</span>}
    </form>
  );
}

export function RunDetail({ runId, canOperate }: { runId: number; canOperate: boolean }) {
  const [cls, setCls] = useState<ReconcileClass | "">("");
  const [status, setStatus] = useState("open");
  const detail = useRunDetail(runId, { class: cls || undefined, status: status || undefined });
  const run = detail.data?.run;
  return (
    <Card
      title={run ? `Run #${run.id} · ${run.companyName}` : `Run #${runId}`}
      actions={run && <Badge tone={RUN_TONE[run.status]}>{run.status}</Badge>}
    >
      {detail.error && <p className="text-sm text-red-600">{detail.error.message}</p>}
      {run && (
        <div className="space-y-4">
          <p className="text-sm text-slate-600">
            {run.mode === "incremental" ? <>Incremental since <Time at={run.updatedSince} />. </> : "Full run. "}
            {run.remoteCount} Cal.com bookings in {run.pages} pages, {run.localCount} appointments, {run.lookups} single look-ups. Started by {run.actorLabel}.
          </p>
          {run.error && <p className="text-sm text-red-600" role="status">{run.error}</p>}
          <div className="flex flex-wrap gap-2" role="group" aria-label="Classes">
            <Button variant={cls === "" ? "primary" : "secondary"} onClick={() => setCls("")}>
              All ({run.openItems} open)
            </Button>
            {CLASSES.filter((c) => run.counts[c]).map((c) => (
              <Button key={c} variant={cls === c ? "primary" : "secondary"} onClick={() => setCls(c)}>
                {CLASS_LABELS[c]} ({detail.data?.openByClass[c] ?? 0} open / {run.counts[c]})
              </Button>
            ))}
          </div>
          <div className="flex flex-wrap items-end gap-4">
            <div className="w-40">
              <Field label="Item status">
                <Select value={status} onChange={(e) => setStatus(e.target.value)}>
                  <option value="open">Open</option>
                  <option value="fixed">Fixed</option>
                  <option value="ignored">Ignored</option>
                  <option value="failed">Failed</option>
                  <option value="">Any</option>
                </Select>
              </Field>
            </div>
            {canOperate && cls && <BulkFix runId={run.id} cls={cls} open={detail.data?.openByClass[cls] ?? 0} />}
          </div>
          {detail.data?.items.length === 0 ? (
            <p className="text-sm text-slate-500">{run.status === "completed" ? "No items with this filter." : "Working…"}</p>
          ) : (
            <table className="w-full text-left text-sm" aria-label="Reconciliation items">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-1">Class</th>
                  <th>Appointment</th>
                  <th>Cal.com booking</th>
                  <th>Differences</th>
                  <th>State</th>
                  {canOperate && <th>Fix</th>}
                </tr>
              </thead>
              <tbody>
                {detail.data?.items.map((item) => (
                  <ItemRow key={item.id} item={item} canOperate={canOperate} />
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </Card>
  );
}
