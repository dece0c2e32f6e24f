"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ActionForm } from "@/components/ui/form";
import { useZonedDateTime, ZonedDateTimeField } from "@/components/ui/zoned-datetime-input";
import { fetchJson } from "@/lib/client/fetch-json";
import { useNow } from "@/lib/client/use-now";

type Report = {
  considered: number;
  booked: number;
  conflicts: number;
  stillOpen: number;
  skipped: number;
  items: { manualBookingId: number; outcome: string; message: string }[];
};

export function RecoverForm({ companyId }: { companyId?: number }) {
  const client = useQueryClient();
  const now = useNow();
  const from = useZonedDateTime(new Date(now - 24 * 3600_000));
  const to = useZonedDateTime(new Date(now));
  const recover = useMutation({
    mutationFn: () =>
      fetchJson<Report>("/api/admin/calcom/recover-bookings", {
        method: "POST",
        json: { companyId, from: from.iso, to: to.iso },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["bookings"] }),
  });
  return (
    <Card title="Recover failed bookings">
      <ActionForm
        label="Recover failed bookings"
        className="flex flex-wrap items-end gap-2"
        onSubmit={() => recover.mutate()}
      >
        <ZonedDateTimeField label="Requests made from" state={from} required className="w-64" />
        <ZonedDateTimeField label="Requests made until" state={to} required className="w-64" />
        <Button type="submit" disabled={recover.isPending}>
          {recover.isPending ? "Recovering…" : "Recover"}
        </Button>
        <p className="w-full text-xs text-slate-500">
          Re-checks each slot in Cal.com, books what is still free and flags conflicts for a person
          {companyId ? " (this company only)" : " (all companies)"}. Claimed requests are left to their person.
        </p>
      </ActionForm>
      {recover.error && <p className="mt-2 text-sm text-red-600">{recover.error.message}</p>}
      {recover.data && (
        <div className="mt-2 text-sm" role="status">
          {recover.data.considered} considered: {recover.data.booked} booked, {recover.data.conflicts} conflicts,{" "}
          {recover.data.stillOpen} still waiting.
          <ul className="mt-1 text-xs text-slate-600">
            {recover.data.items.map((i) => (
              <li key={i.manualBookingId}>
                #{i.manualBookingId} {i.outcome}: {i.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
