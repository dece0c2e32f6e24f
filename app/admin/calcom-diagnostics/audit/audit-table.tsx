"use client";

import { Time } from "@/components/ui/time";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";

type Entry = { id: number; at: string; actorLabel: string; action: string; targetType: string; targetId: string | null; companyId: number | null; reason: string | null; details: unknown };
type Page = { items: Entry[]; nextCursor: number | null };

function useAudit(filters: Record<string, string | undefined>) {
  return useInfiniteQuery({
    queryKey: queryKeys.audit(filters),
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => {
      const qs = new URLSearchParams(Object.entries({ ...filters, cursor: pageParam?.toString() }).filter((e): e is [string, string] => Boolean(e[1])));
      return fetchJson<Page>(`/api/admin/calcom/audit?${qs}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 15_000,
  });
}

export function AuditTable({ companyId }: { companyId?: number }) {
  const [action, setAction] = useState("");
  const [actor, setActor] = useState("");
  const query = useAudit({ companyId: companyId?.toString(), action: action || undefined, actor: actor || undefined });
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <Input aria-label="Filter by action" placeholder="action, e.g. circuit.reset" value={action} onChange={(e) => setAction(e.target.value.trim())} className="max-w-xs" />
        <Input aria-label="Filter by actor" placeholder="actor email" value={actor} onChange={(e) => setActor(e.target.value.trim())} className="max-w-xs" />
      </div>
      {query.error && <p className="text-sm text-red-600">{query.error.message}</p>}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" aria-label="Audit log">
          <thead className="bg-slate-50 text-xs uppercase text-slate-500">
            <tr>
              <th className="px-3 py-2">When</th>
              <th className="px-3 py-2">Who</th>
              <th className="px-3 py-2">Action</th>
              <th className="px-3 py-2">Target</th>
              <th className="px-3 py-2">Reason</th>
              <th className="px-3 py-2">Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-t border-slate-100 align-top">
                <td className="whitespace-nowrap px-3 py-2 text-slate-600"><Time at={r.at} seconds /></td>
                <td className="px-3 py-2">{r.actorLabel}</td>
                <td className="px-3 py-2 font-mono text-xs">{r.action}</td>
                <td className="px-3 py-2">{r.targetType}{r.targetId ? ` #${r.targetId}` : ""}</td>
                <td className="px-3 py-2">{r.reason ?? "—"}</td>
                <td className="max-w-md truncate px-3 py-2 font-mono text-xs text-slate-500">{r.details ? JSON.stringify(r.details) : ""}</td>
              </tr>
            ))}
            {!query.isLoading && rows.length === 0 && (
              <tr>
                <td colSpan={6} className="px-3 py-6 text-center text-slate-500">No audit entries match.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {query.hasNextPage && (
        <Button variant="secondary" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      )}
    </div>
  );
}
