"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useToast } from "@/components/ui/toaster";
import { fetchJson } from "@/lib/client/fetch-json";
import { formatMinutes } from "@/lib/time/format";

type Row = { companyId: number; companyName: string; silenceThresholdMinutes: number; payloadRetentionDays: number };

/** The receiver's silence threshold and payload retention, as a form with the allowed ranges (no prompt()). */
export function ReceiverSettingsForm({ row }: { row: Row }) {
  const client = useQueryClient();
  const toast = useToast();
  const [isOpen, setIsOpen] = useState(false);
  const [threshold, setThreshold] = useState(String(row.silenceThresholdMinutes));
  const [retention, setRetention] = useState(String(row.payloadRetentionDays));
  const save = useMutation({
    mutationFn: () =>
      fetchJson("/api/admin/calcom/webhooks/settings", {
        method: "PUT",
        json: {
          companyId: row.companyId,
          silenceThresholdMinutes: Number(threshold),
          payloadRetentionDays: Number(retention),
        },
      }),
    onSuccess: () => {
      toast(
        `${row.companyName}: warn after ${formatMinutes(Number(threshold))} without a verified delivery; keep payloads ${retention} days.`,
      );
      setIsOpen(false);
      return client.invalidateQueries({ queryKey: ["webhooks", "freshness"] });
    },
  });
  if (!isOpen) {
    return (
      <Button
        variant="secondary"
        aria-label={`Receiver settings of ${row.companyName}`}
        onClick={() => setIsOpen(true)}
      >
        Settings…
      </Button>
    );
  }
  return (
    <form
      aria-label={`Receiver settings of ${row.companyName}`}
      className="flex w-full flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-slate-50 p-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <div className="w-56">
        <Field label="Silence threshold (minutes)" hint="5 to 43200 (30 days)">
          <Input
            type="number"
            min={5}
            max={43_200}
            step={1}
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
            required
          />
        </Field>
      </div>
      <div className="w-56">
        <Field label="Keep payload bodies (days)" hint="1 to 3650">
          <Input
            type="number"
            min={1}
            max={3650}
            step={1}
            value={retention}
            onChange={(e) => setRetention(e.target.value)}
            required
          />
        </Field>
      </div>
      <Button type="submit" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save"}
      </Button>
      <Button type="button" variant="secondary" onClick={() => setIsOpen(false)}>
        Close
      </Button>
      {save.error && <p className="w-full text-sm text-red-600">{save.error.message}</p>}
    </form>
  );
}
