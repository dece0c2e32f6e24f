"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { NumberField } from "@/components/ui/field";
import { ActionForm } from "@/components/ui/form";
import { useToast } from "@/components/ui/toaster";
import { fetchJson } from "@/lib/client/fetch-json";
import type { WebhookFreshness } from "@/lib/client/queries/webhooks";
import { formatMinutes } from "@/lib/time/format";

type Row = Pick<WebhookFreshness, "companyId" | "companyName" | "silenceThresholdMinutes" | "payloadRetentionDays">;
type Setting = "silenceThresholdMinutes" | "payloadRetentionDays";

/** The ranges the server accepts (updateWebhookSettingsSchema), told to the browser so it refuses the rest. */
const FIELDS: { name: Setting; label: string; hint: string; min: number; max: number }[] = [
  {
    name: "silenceThresholdMinutes",
    label: "Silence threshold (minutes)",
    hint: "5 to 43200 (30 days)",
    min: 5,
    max: 43_200,
  },
  { name: "payloadRetentionDays", label: "Keep payload bodies (days)", hint: "1 to 3650", min: 1, max: 3650 },
];

/** The receiver's silence threshold and payload retention, as a form with the allowed ranges (no prompt()). */
export function ReceiverSettingsForm({ row }: { row: Row }) {
  const client = useQueryClient();
  const toast = useToast();
  const [isOpen, setIsOpen] = useState(false);
  const [values, setValues] = useState<Record<Setting, string>>({
    silenceThresholdMinutes: String(row.silenceThresholdMinutes),
    payloadRetentionDays: String(row.payloadRetentionDays),
  });
  const save = useMutation({
    mutationFn: () =>
      fetchJson("/api/admin/calcom/webhooks/settings", {
        method: "PUT",
        json: {
          companyId: row.companyId,
          silenceThresholdMinutes: Number(values.silenceThresholdMinutes),
          payloadRetentionDays: Number(values.payloadRetentionDays),
        },
      }),
    onSuccess: () => {
      toast(
        `${row.companyName}: warn after ${formatMinutes(Number(values.silenceThresholdMinutes))} without a verified delivery; keep payloads ${values.payloadRetentionDays} days.`,
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
    <ActionForm
      label={`Receiver settings of ${row.companyName}`}
      className="flex w-full flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-slate-50 p-2"
      onSubmit={() => save.mutate()}
    >
      {FIELDS.map((f) => (
        <NumberField
          key={f.name}
          label={f.label}
          hint={f.hint}
          className="w-56"
          min={f.min}
          max={f.max}
          step={1}
          value={values[f.name]}
          onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
        />
      ))}
      <Button type="submit" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save"}
      </Button>
      <Button type="button" variant="secondary" onClick={() => setIsOpen(false)}>
        Close
      </Button>
      {save.error && <p className="w-full text-sm text-red-600">{save.error.message}</p>}
    </ActionForm>
  );
}
