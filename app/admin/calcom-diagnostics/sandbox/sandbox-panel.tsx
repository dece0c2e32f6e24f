"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { FaultFamily, SandboxFaults } from "@/lib/calcom-sandbox/faults";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";

type State = { faults: SandboxFaults; requests: Record<string, number> };
const FAMILIES: FaultFamily[] = ["all", "me", "teams", "event-types", "slots", "bookings"];
const STATUSES = [500, 502, 503, 504, 429, 401];

export function SandboxPanel({ canOperate }: { canOperate: boolean }) {
  const client = useQueryClient();
  const state = useQuery({
    queryKey: queryKeys.sandbox,
    queryFn: () => fetchJson<State>("/api/admin/calcom/sandbox"),
    refetchInterval: 5_000,
  });
  const onSuccess = () => client.invalidateQueries({ queryKey: queryKeys.sandbox });
  const patch = useMutation({
    mutationFn: (body: object) => fetchJson("/api/admin/calcom/sandbox/faults", { method: "PATCH", json: body }),
    onSuccess,
  });
  const reset = useMutation({
    mutationFn: () => fetchJson("/api/admin/calcom/sandbox/reset", { method: "POST", json: {} }),
    onSuccess,
  });
  if (!state.data) return <p className="text-sm text-slate-500">{state.error?.message ?? "Loading…"}</p>;
  const { faults, requests } = state.data;
  const setFamily = (family: FaultFamily, value: Record<string, unknown> | null) =>
    patch.mutate({ families: { [family]: value } });

  return (
    <div className="space-y-4">
      <Card
        title="Faults"
        actions={
          canOperate && (
            <Button variant="secondary" onClick={() => reset.mutate()} disabled={reset.isPending}>
              Reset all faults
            </Button>
          )
        }
      >
        {patch.error && <p className="mb-2 text-sm text-red-600">{patch.error.message}</p>}
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1">Endpoint family</th>
              <th>Forced status</th>
              <th>Error rate</th>
              <th>Added latency</th>
              <th>Requests</th>
            </tr>
          </thead>
          <tbody>
            {FAMILIES.map((family) => {
              const f = faults.families[family];
              return (
                <tr key={family} className="border-t border-slate-100">
                  <td className="py-1.5 font-mono">{family}</td>
                  <td>
                    <select
                      aria-label={`Forced status for ${family}`}
                      disabled={!canOperate}
                      value={f?.forceStatus ?? ""}
                      onChange={(e) =>
                        setFamily(
                          family,
                          e.target.value
                            ? { forceStatus: Number(e.target.value), forceCount: null }
                            : { forceStatus: null },
                        )
                      }
                      className="rounded border border-slate-300 px-1 py-0.5"
                    >
                      <option value="">none</option>
                      {STATUSES.map((s) => (
                        <option key={s} value={s}>
                          {s}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select
                      aria-label={`Error rate for ${family}`}
                      disabled={!canOperate}
                      value={f?.errorRate ?? 0}
                      onChange={(e) => setFamily(family, { errorRate: Number(e.target.value) })}
                      className="rounded border border-slate-300 px-1 py-0.5"
                    >
                      {[0, 0.1, 0.25, 0.5, 1].map((r) => (
                        <option key={r} value={r}>
                          {r * 100}%
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select
                      aria-label={`Latency for ${family}`}
                      disabled={!canOperate}
                      value={f?.latencyMs ?? 0}
                      onChange={(e) => setFamily(family, { latencyMs: Number(e.target.value) })}
                      className="rounded border border-slate-300 px-1 py-0.5"
                    >
                      {[0, 250, 1000, 3000, 12000].map((ms) => (
                        <option key={ms} value={ms}>
                          {ms} ms
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{family === "all" ? (requests.total ?? 0) : (requests[family] ?? 0)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="mt-4 flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              disabled={!canOperate}
              checked={faults.revokedKeys}
              onChange={(e) => patch.mutate({ revokedKeys: e.target.checked })}
            />
            Revoke every API key (401) {faults.revokedKeys && <Badge tone="red">on</Badge>}
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              disabled={!canOperate}
              checked={faults.emptyEventTypes}
              onChange={(e) => patch.mutate({ emptyEventTypes: e.target.checked })}
            />
            Empty event-type lists {faults.emptyEventTypes && <Badge tone="red">on</Badge>}
          </label>
        </div>
      </Card>
    </div>
  );
}
