"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useZonedDateTime, ZonedDateTimeField } from "@/components/ui/zoned-datetime-input";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import { plural } from "@/lib/time/format";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { Filters } from "./webhook-log";

type CountResult = { count: number; isCapped: boolean };
type RunResult = { runId: number; total: number };
type Run = { id: number; total: number; pending: number; failed: number; done: number };

/** Reprocess every failed delivery in the log's current filter (or since a time): count first, then progress. */
export function BulkReprocess({ filters }: { filters: Filters }) {
  const client = useQueryClient();
  const since = useZonedDateTime(null);
  const [counted, setCounted] = useState<CountResult | null>(null);
  const [runId, setRunId] = useState<number | null>(null);
  const { status: _ignored, ...filter } = filters;
  const body = (dryRun: boolean) => ({
    mode: "failed",
    dryRun,
    since: since.iso,
    filter: { ...filter, companyId: filter.companyId ? Number(filter.companyId) : undefined },
  });
  const count = useMutation({
    mutationFn: () =>
      fetchJson<CountResult>("/api/admin/calcom/webhooks/reprocess", { method: "POST", json: body(true) }),
    onSuccess: (r) => setCounted(r),
  });
  const start = useMutation({
    mutationFn: () =>
      fetchJson<RunResult>("/api/admin/calcom/webhooks/reprocess", { method: "POST", json: body(false) }),
    onSuccess: (r) => {
      setRunId(r.runId);
      setCounted(null);
      void client.invalidateQueries({ queryKey: ["webhooks"] });
    },
  });
  const run = useQuery({
    queryKey: queryKeys.webhookReprocessRun(runId ?? 0),
    queryFn: () => fetchJson<Run>(`/api/admin/calcom/webhooks/reprocess?runId=${runId}`),
    enabled: runId !== null,
    refetchInterval: (q) => (q.state.data && q.state.data.pending === 0 ? false : 1_500),
  });
  return (
    <Card title="Reprocess failed deliveries">
      <p className="mb-2 text-xs text-slate-600">
        Uses the log filters above (company, trigger, verdict, booking uid, time range), restricted to failed
        deliveries.
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <ZonedDateTimeField
          label="Failed since"
          state={{
            ...since,
            setValue: (v: string) => {
              since.setValue(v);
              setCounted(null);
            },
          }}
        />
        <Button variant="secondary" onClick={() => count.mutate()} disabled={count.isPending}>
          Count failed
        </Button>
        {counted && (
          <Button onClick={() => start.mutate()} disabled={start.isPending || counted.count === 0}>
            Reprocess {counted.count}
            {counted.isCapped ? "+" : ""} failed
          </Button>
        )}
      </div>
      {counted && (
        <p className="mt-2 text-sm" role="status">
          {plural(counted.count, "failed delivery", "failed deliveries")}
          {counted.isCapped ? " (capped)" : ""} {counted.count === 1 ? "matches" : "match"}.
        </p>
      )}
      {(count.error ?? start.error) && (
        <p className="mt-2 text-sm text-red-600">{(count.error ?? start.error)?.message}</p>
      )}
      {run.data && (
        <div className="mt-3" aria-label="Reprocess progress">
          <ProgressBar
            label={`Reprocess run ${run.data.id}`}
            done={run.data.done}
            failed={run.data.failed}
            total={run.data.total}
          />
          <p role="status" className={`text-xs ${run.data.failed > 0 ? "text-red-700" : "text-slate-600"}`}>
            Run #{run.data.id}: {run.data.done} reprocessed, {run.data.failed} failed again, {run.data.pending} pending,
            of {plural(run.data.total, "delivery", "deliveries")}.
          </p>
        </div>
      )}
    </Card>
  );
}
