"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/field";
import { Cell, TableFrame } from "@/components/ui/table";
import type { FaultFamily, SandboxFaults } from "@/lib/calcom-sandbox/faults";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";

type State = { faults: SandboxFaults; requests: Record<string, number> };
const FAMILIES: FaultFamily[] = ["all", "me", "teams", "event-types", "slots", "bookings"];
type FamilyFaults = SandboxFaults["families"][FaultFamily];

/** One column of fault settings per family: what it shows, its choices, and the patch a choice sends. */
const KNOBS: {
  header: string;
  label: string;
  options: { value: number | ""; label: string }[];
  value: (f: FamilyFaults) => number | null | undefined;
  patch: (value: string) => Record<string, unknown>;
}[] = [
  {
    header: "Forced status",
    label: "Forced status",
    options: [
      { value: "", label: "none" },
      ...[500, 502, 503, 504, 429, 401].map((s) => ({ value: s, label: String(s) })),
    ],
    value: (f) => f?.forceStatus,
    // No count: the status holds until the faults are reset.
    patch: (v) => (v ? { forceStatus: Number(v), forceCount: null } : { forceStatus: null }),
  },
  {
    header: "Error rate",
    label: "Error rate",
    options: [0, 0.1, 0.25, 0.5, 1].map((r) => ({ value: r, label: `${r * 100}%` })),
    value: (f) => f?.errorRate ?? 0,
    patch: (v) => ({ errorRate: Number(v) }),
  },
  {
    header: "Added latency",
    label: "Latency",
    options: [0, 250, 1000, 3000, 12000].map((ms) => ({ value: ms, label: `${ms} ms` })),
    value: (f) => f?.latencyMs ?? 0,
    patch: (v) => ({ latencyMs: Number(v) }),
  },
];

const SWITCHES: { name: "revokedKeys" | "emptyEventTypes"; label: string }[] = [
  { name: "revokedKeys", label: "Revoke every API key (401)" },
  { name: "emptyEventTypes", label: "Empty event-type lists" },
];

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
        <TableFrame
          label="Faults per endpoint family"
          headers={["Endpoint family", ...KNOBS.map((k) => k.header), "Requests"]}
        >
          {FAMILIES.map((family) => (
            <tr key={family}>
              <Cell className="font-mono">{family}</Cell>
              {KNOBS.map((k) => (
                <Cell key={k.header}>
                  <select
                    aria-label={`${k.label} for ${family}`}
                    disabled={!canOperate}
                    value={k.value(faults.families[family]) ?? ""}
                    onChange={(e) => setFamily(family, k.patch(e.target.value))}
                    className="rounded border border-slate-300 px-1 py-0.5"
                  >
                    {k.options.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                </Cell>
              ))}
              <Cell>{family === "all" ? (requests.total ?? 0) : (requests[family] ?? 0)}</Cell>
            </tr>
          ))}
        </TableFrame>
        <div className="mt-4 flex flex-wrap gap-4 text-sm">
          {SWITCHES.map((w) => (
            <Checkbox
              key={w.name}
              disabled={!canOperate}
              checked={faults[w.name]}
              onChange={(e) => patch.mutate({ [w.name]: e.target.checked })}
            >
              {w.label} {faults[w.name] && <Badge tone="red">on</Badge>}
            </Checkbox>
          ))}
        </div>
      </Card>
    </div>
  );
}
