"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { fetchJson } from "@/lib/client/fetch-json";
import { Field, Input } from "@/components/ui/field";
import { TableFrame } from "@/components/ui/table";
import { useCompanies } from "@/lib/client/queries/companies";
import { useUrlFilters } from "@/lib/client/use-url-filters";
import { queryKeys } from "@/lib/client/query-keys";
import { useToast } from "@/components/ui/toaster";
import { EmergencyReactivate, reactivationSummary } from "./emergency-reactivate";
import { ReviewRow, type ReviewItemJson } from "./review-row";

export function ReviewPanel({ companyId, canOperate }: { companyId?: number; canOperate: boolean }) {
  const client = useQueryClient();
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const { draft, set, applied } = useUrlFilters(["service"] as const);
  const review = useQuery({
    queryKey: queryKeys.syncReview(companyId),
    queryFn: () =>
      fetchJson<{ items: ReviewItemJson[] }>(
        `/api/admin/calcom/sync/review${companyId ? `?companyId=${companyId}` : ""}`,
      ),
    refetchInterval: 10_000,
  });
  const companies = useCompanies();
  const toast = useToast();
  const bulk = useMutation({
    mutationFn: () =>
      fetchJson<{ reactivated: number; cleared: number }>("/api/admin/calcom/services/bulk-reactivate", {
        method: "POST",
        json: { serviceIds: [...picked] },
      }),
    onSuccess: (r) => {
      toast(reactivationSummary(r));
      setPicked(new Set());
      return client.invalidateQueries({ queryKey: ["sync"] });
    },
  });
  if (review.error) return <p className="text-sm text-red-600">{review.error.message}</p>;
  if (!review.data) return <p className="text-sm text-slate-500">Loading…</p>;
  // Partial, case-insensitive, as people type a name ("herren" finds Herrenhaarschnitt); kept in the URL.
  const needle = applied.service?.toLocaleLowerCase("de-DE");
  const items = needle
    ? review.data.items.filter((i) => i.service.name.toLocaleLowerCase("de-DE").includes(needle))
    : review.data.items;
  const pending = items.filter((i) => i.state?.status === "pending_review").length;
  const toggle = (id: number) =>
    setPicked((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <div className="space-y-4">
      <Card
        title={`Queue: ${pending} pending review, ${items.length} listed`}
        actions={
          canOperate && (
            <Button variant="secondary" disabled={picked.size === 0 || bulk.isPending} onClick={() => bulk.mutate()}>
              Reactivate selected ({picked.size})
            </Button>
          )
        }
      >
        {bulk.error && <p className="mb-2 text-sm text-red-600">{bulk.error.message}</p>}
        <Field label="Service name contains" className="mb-3 max-w-xs">
          <Input value={draft.service} onChange={(e) => set("service", e.target.value)} placeholder="e.g. herren" />
        </Field>
        {items.length === 0 ? (
          <EmptyState title="Nothing to review">
            Services whose Cal.com event type disappears for three consecutive syncs, or in a run that trips the share
            guard, appear here.
          </EmptyState>
        ) : (
          <TableFrame
            label="Services to review"
            headers={[
              { key: "select", header: <span className="sr-only">Select</span> },
              "Service",
              "State",
              "Provenance",
              { key: "actions", header: <span className="sr-only">Actions</span> },
            ]}
          >
            {items.map((item) => (
              <ReviewRow
                key={item.service.id}
                item={item}
                canOperate={canOperate}
                isPicked={picked.has(item.service.id)}
                onPick={() => toggle(item.service.id)}
              />
            ))}
          </TableFrame>
        )}
      </Card>
      {canOperate && companies.data && (
        <Card title="Emergency">
          <p className="mb-3 text-sm text-slate-600">
            From the sync incident&apos;s maintenance guide: if a sync deactivated services by mistake, bring every
            service of the company back at once. <Badge tone="amber">audited</Badge>
          </p>
          <div className="space-y-3">
            {companies.data.companies
              .filter((c) => !companyId || c.id === companyId)
              .map((c) => (
                <EmergencyReactivate key={c.id} company={c} />
              ))}
          </div>
        </Card>
      )}
    </div>
  );
}
