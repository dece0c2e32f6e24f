"use client";

import { Field, Input } from "@/components/ui/field";
import { PagedTable, type Column } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { useAuditLog, type AuditPage } from "@/lib/client/queries/audit";
import { useUrlFilters } from "@/lib/client/use-url-filters";

type Entry = AuditPage["items"][number];

const FILTERS = ["action", "actor", "q"] as const;

function target(r: Entry): string {
  const name = r.targetName ?? (r.targetId ? `#${r.targetId}` : "");
  return `${r.targetType.replaceAll("_", " ")}${name ? ` ${name}` : ""}`;
}

const COLUMNS: Column<Entry>[] = [
  { key: "at", header: "When", cell: (r) => <Time at={r.at} seconds />, className: "whitespace-nowrap text-slate-600" },
  { key: "who", header: "Who", cell: (r) => r.actorLabel, className: "break-all" },
  { key: "action", header: "Action", cell: (r) => <span className="font-mono text-xs">{r.action}</span> },
  {
    key: "target",
    header: "Target",
    cell: (r) => (
      <>
        {target(r)}
        {r.companyName && r.targetType !== "company" && <div className="text-xs text-slate-500">{r.companyName}</div>}
      </>
    ),
  },
  { key: "reason", header: "Reason", cell: (r) => r.reason ?? <span className="text-slate-400">none given</span> },
  {
    key: "details",
    header: "Details",
    cell: (r) => (r.details ? JSON.stringify(r.details) : ""),
    className: "max-w-xs truncate font-mono text-xs text-slate-500",
    isSecondary: true,
  },
];

export function AuditTable({ companyId }: { companyId?: number }) {
  const { draft, set, applied } = useUrlFilters(FILTERS);
  const query = useAuditLog({ companyId: companyId?.toString(), ...applied });
  return (
    <div className="space-y-3">
      <div className="grid max-w-3xl gap-2 sm:grid-cols-3" role="search" aria-label="Audit filters">
        <Field label="Action contains">
          <Input placeholder="e.g. circuit" value={draft.action} onChange={(e) => set("action", e.target.value)} />
        </Field>
        <Field label="Who contains">
          <Input placeholder="e.g. operator@" value={draft.actor} onChange={(e) => set("actor", e.target.value)} />
        </Field>
        <Field label="Anything contains">
          <Input placeholder="reason, target id…" value={draft.q} onChange={(e) => set("q", e.target.value)} />
        </Field>
      </div>
      <PagedTable
        label="Audit log"
        query={query}
        columns={COLUMNS}
        empty="No audit entries match. Matching is partial and ignores case."
      />
    </div>
  );
}
