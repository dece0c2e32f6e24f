"use client";

import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage, Loading } from "@/components/ui/query-state";
import { useCircuits, type Circuit } from "@/lib/client/queries/operating-mode";
import { CircuitCard } from "./circuit-card";

export type CircuitJson = Circuit;

export function CircuitPanel({ companyId, canOperate }: { companyId?: number; canOperate: boolean }) {
  const circuits = useCircuits(companyId);
  if (circuits.error) return <ErrorMessage error={circuits.error} onRetry={() => circuits.refetch()} />;
  if (!circuits.data) return <Loading />;
  if (circuits.data.circuits.length === 0)
    return <EmptyState title="No companies">Add a company to see its circuit.</EmptyState>;
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      {circuits.data.circuits.map((c) => (
        <CircuitCard key={c.companyId} circuit={c} canOperate={canOperate} />
      ))}
    </div>
  );
}
