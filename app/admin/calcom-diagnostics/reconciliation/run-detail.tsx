"use client";

import { Time } from "@/components/ui/time";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/field";
import { TableFrame } from "@/components/ui/table";
import type { ReconcileClass, ReconcileFix } from "@/drizzle/schema/reconcile";
import { fetchJson } from "@/lib/client/fetch-json";
import { useReconcileRun } from "@/lib/client/queries/reconcile";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { useToast } from "@/components/ui/toaster";
import { ALLOWED_FIXES, CLASS_LABELS } from "@/lib/reconcile/fix-rules";
import { plural } from "@/lib/time/format";
import { fixConsequence, fixLabel, needsConfirmation } from "./fix-labels";
import { ItemRow } from "./item-row";
import { RUN_TONE } from "./types";

const CLASSES = Object.keys(CLASS_LABELS) as ReconcileClass[];

function BulkFix({ runId, cls, open }: { runId: number; cls: ReconcileClass; open: number }) {
  const client = useQueryClient();
  const [fix, setFix] = useState<ReconcileFix>(ALLOWED_FIXES[cls][0]!);
  const toast = useToast();
  const bulk = useMutation({
    mutationFn: (reason: string) =>
      fetchJson<{ fixed: number; failed: number }>(`/api/admin/calcom/reconcile/runs/${runId}/bulk-fix`, {
        method: "POST",
        json: { class: cls, fix, reason },
      }),
    onSuccess: (r) =>
      toast(
        `${fixLabel(cls, fix)}: ${r.fixed} fixed, ${r.failed} failed, of ${open} open "${CLASS_LABELS[cls]}" items. Fixed items leave the open list.`,
        r.failed > 0 ? "error" : "success",
      ),
    onSettled: () => client.invalidateQueries({ queryKey: ["reconcile"] }),
  });
  return (
    <div aria-label={`Bulk fix ${CLASS_LABELS[cls]}`} role="group" className="flex flex-wrap items-end gap-2">
      <div className="w-56">
        <Field label="Fix for every open item">
          <Select value={fix} onChange={(e) => setFix(e.target.value as ReconcileFix)}>
            {ALLOWED_FIXES[cls].map((f) => (
              <option key={f} value={f}>
                {fixLabel(cls, f)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <ConfirmAction
        label={`Apply to ${open} open…`}
        variant={needsConfirmation(cls, fix) ? "danger" : "secondary"}
        disabled={bulk.isPending || open === 0}
        title={`${fixLabel(cls, fix)} for ${plural(open, "item")}?`}
        description={`${fixConsequence(cls, fix)} It is applied to every open "${CLASS_LABELS[cls]}" item of this run (${open}).`}
        confirmLabel={`${fixLabel(cls, fix)} (${open})`}
        onConfirm={(reason) => bulk.mutateAsync(reason)}
      />
      {bulk.data && (
        <span role="status" className={`text-sm ${bulk.data.failed > 0 ? "text-red-700" : "text-slate-600"}`}>
          {bulk.data.fixed} fixed, {bulk.data.failed} failed
        </span>
      )}
      {bulk.error && <span className="text-sm text-red-600">{bulk.error.message}</span>}
    </div>
  );
}

export function RunDetail({ runId, canOperate }: { runId: number; canOperate: boolean }) {
  const [cls, setCls] = useState<ReconcileClass | "">("");
  const [status, setStatus] = useState("open");
  const detail = useReconcileRun(runId, { class: cls || undefined, status: status || undefined });
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
            {run.mode === "incremental" ? (
              <>
                Incremental since <Time at={run.updatedSince} />.{" "}
              </>
            ) : (
              "Full run. "
            )}
            {plural(run.remoteCount, "Cal.com booking")} in {plural(run.pages, "page")},{" "}
            {plural(run.localCount, "appointment")}, {plural(run.lookups, "single look-up")}. Started by{" "}
            {run.actorLabel}.
          </p>
          {run.error && (
            <p className="text-sm text-red-600" role="status">
              {run.error}
            </p>
          )}
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
            <Field label="Item status" className="w-40">
              <Select value={status} onChange={(e) => setStatus(e.target.value)}>
                <option value="open">Open</option>
                <option value="fixed">Fixed</option>
                <option value="ignored">Ignored</option>
                <option value="failed">Failed</option>
                <option value="">Any</option>
              </Select>
            </Field>
            {canOperate && cls && <BulkFix runId={run.id} cls={cls} open={detail.data?.openByClass[cls] ?? 0} />}
          </div>
          {detail.data?.items.length === 0 ? (
            <p className="text-sm text-slate-500">
              {run.status === "completed" ? "No items with this filter." : "Working…"}
            </p>
          ) : (
            <TableFrame
              label="Reconciliation items"
              headers={[
                "Class",
                "Appointment",
                "Cal.com booking",
                "Differences",
                "State",
                ...(canOperate ? ["Fix"] : []),
              ]}
            >
              {detail.data?.items.map((item) => (
                <ItemRow key={item.id} item={item} canOperate={canOperate} />
              ))}
            </TableFrame>
          )}
        </div>
      )}
    </Card>
  );
}
