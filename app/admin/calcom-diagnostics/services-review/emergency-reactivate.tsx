"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { fetchJson } from "@/lib/client/fetch-json";
import { plural } from "@/lib/time/format";

/** "1 service reactivated, 5 left the review queue": both counts, so the number matches the rows that go. */
export function reactivationSummary(r: { reactivated: number; cleared: number }): string {
  return `${plural(r.reactivated, "service")} reactivated; ${plural(r.cleared, "service")} left the review queue.`;
}

/** The maintenance guide's "re-activate all services for company 1", behind a typed confirmation. */
export function EmergencyReactivate({ company }: { company: { id: number; name: string } }) {
  const client = useQueryClient();
  const [isOpen, setOpen] = useState(false);
  const [confirm, setConfirm] = useState("");
  const [reason, setReason] = useState("");
  const run = useMutation({
    mutationFn: () =>
      fetchJson<{ reactivated: number; cleared: number }>("/api/admin/calcom/services/reactivate-company", {
        method: "POST",
        json: { companyId: company.id, confirm, reason },
      }),
    onSuccess: () => {
      setOpen(false);
      setConfirm("");
      return client.invalidateQueries({ queryKey: ["sync"] });
    },
  });
  return (
    <div>
      <Button variant="danger" onClick={() => setOpen(!isOpen)}>
        Reactivate every service of {company.name}…
      </Button>
      {run.data && (
        <span role="status" className="ml-2 text-sm text-emerald-700">
          {reactivationSummary(run.data)}
        </span>
      )}
      {isOpen && (
        <form
          aria-label={`Reactivate every service of ${company.name}`}
          className="mt-2 max-w-md space-y-2 rounded-md border border-red-200 bg-red-50 p-3"
          onSubmit={(e) => {
            e.preventDefault();
            run.mutate();
          }}
        >
          <Field label={`Type "${company.name}" to confirm`}>
            <Input value={confirm} onChange={(e) => setConfirm(e.target.value)} required />
          </Field>
          <p className="text-sm text-red-900">
            Every service of {company.name} is offered and bookable again at once, including any deactivated on purpose.
          </p>
          <Field label="Reason" hint="Required. Recorded in the audit log.">
            <Input value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} />
          </Field>
          <Button type="submit" variant="danger" disabled={run.isPending || confirm !== company.name}>
            Confirm reactivation
          </Button>
          {run.error && <p className="text-sm text-red-600">{run.error.message}</p>}
        </form>
      )}
    </div>
  );
}
