"use client";

import { useState } from "react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Select } from "@/components/ui/field";
import { TableFrame } from "@/components/ui/table";
import { useManualQueue } from "@/lib/client/queries/bookings";
import { ManualRow } from "./manual-row";

const STATES = [
  { value: "active", label: "Waiting (open, claimed, conflict)" },
  { value: "booked", label: "Booked" },
  { value: "cancelled", label: "Cancelled" },
];

export function ManualQueue({ companyId, canOperate }: { companyId?: number; canOperate: boolean }) {
  const [state, setState] = useState("active");
  const queue = useManualQueue(companyId, state);
  return (
    <Card
      title={`Manual bookings${queue.data && state === "active" ? ` (${queue.data.items.length} waiting)` : ""}`}
      actions={
        <Field label="Show" className="w-64">
          <Select value={state} onChange={(e) => setState(e.target.value)}>
            {STATES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </Select>
        </Field>
      }
    >
      {queue.error && <p className="text-sm text-red-600">{queue.error.message}</p>}
      {!queue.data && !queue.error && <p className="text-sm text-slate-500">Loading…</p>}
      {queue.data?.items.length === 0 && (
        <EmptyState title="Queue empty">No booking requests are waiting for a person.</EmptyState>
      )}
      {queue.data && queue.data.items.length > 0 && (
        <TableFrame
          label="Manual bookings"
          headers={["#", "Age", "Requested time", "Service", "Attendee", "Reason", "State", "Actions"]}
        >
          {queue.data.items.map((item) => (
            <ManualRow key={item.id} item={item} canOperate={canOperate} />
          ))}
        </TableFrame>
      )}
    </Card>
  );
}
