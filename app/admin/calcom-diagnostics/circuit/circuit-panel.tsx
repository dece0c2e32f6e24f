"use client";

import { useQuery } from "@tanstack/react-query";
import { EmptyState } from "@/components/ui/empty-state";
import type { CircuitView } from "@/lib/calcom/circuit-overview";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import { CircuitCard } from "./circuit-card";

export type CircuitJson = Omit<CircuitView, "openedAt" | "openUntil" | "forcedOpenUntil" | "lastSuccessAt" | "lastFailure" | "events"> & {
  openedAt: string | null;
  openUntil: string | null;
  forcedOpenUntil: string | null;
  lastSuccessAt: string | null;
  lastFailure: { code: string | null; status: number | null; message: string | null; at: string } | null;
  events: { id: number; at: string; from: string; to: string; reason: string; actor: string | null }[];
};

export function useCircuits(companyId?: number) {
  return useQuery({
    queryKey: queryKeys.circuit(companyId),
    queryFn: () => fetchJson<{ circuits: CircuitJson[] }>(`/api/admin/calcom/circuit${companyId ? `?companyId=${companyId}` : ""}`),
    // An open circuit must be visible quickly: poll every 3 s.
    refetchInterval: 3_000,
  });
}

export function CircuitPanel({ companyId, canOperate }: { companyId?: number; canOperate: boolean }) {
  const circuits = useCircuits(companyId);
  if (circuits.error) return <p className="text-sm text-red-600">{circuits.error.message}</p>;
  if (!circuits.data) return <p className="text-sm text-slate-500">Loading…</p>;
  if (circuits.data.circuits.length === 0) return <EmptyState title="No companies">Add a company to see its circuit.</EmptyState>;
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      {circuits.data.circuits.map((c) => (
        <CircuitCard key={c.companyId} circuit={c} canOperate={canOperate} />
      ))}
    </div>
  );
}
