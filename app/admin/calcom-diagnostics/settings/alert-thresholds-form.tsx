"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { Card } from "@/components/ui/card";
import { Field, Input, NumberField } from "@/components/ui/field";
import { SaveRow } from "@/components/ui/form";
import type { AlertThresholds } from "@/lib/alerts/settings";
import { fetchJson } from "@/lib/client/fetch-json";

const NUMBERS: { name: keyof AlertThresholds; label: string; hint: string; step?: string }[] = [
  { name: "successRateMinPct", label: "Success rate below (%)", hint: "Guide default 95", step: "0.1" },
  { name: "avgLatencyMaxMs", label: "Average latency above (ms)", hint: "Guide default 1000" },
  { name: "circuitTripsPerHourMax", label: "Circuit trips per hour above", hint: "Guide default 5" },
  { name: "windowMinutes", label: "Rate and latency window (min)", hint: "Default 15" },
  { name: "minCalls", label: "Fewest calls for a rate", hint: "Default 20" },
  { name: "syncStaleMinutes", label: "Sync stale after (min)", hint: "No successful event-type sync" },
  { name: "manualQueueMaxAgeMinutes", label: "Manual queue age (min)", hint: "Oldest waiting booking" },
  {
    name: "webhookDeadlineMinutes",
    label: "Expected webhook within (min)",
    hint: "After our own booking, cancel, reschedule",
  },
];

export function AlertThresholdsForm({
  companyId,
  companyName,
  thresholds,
  canEdit = true,
}: {
  companyId: number;
  companyName: string;
  thresholds: AlertThresholds;
  canEdit?: boolean;
}) {
  const router = useRouter();
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      fetchJson(`/api/admin/calcom/alerts/settings`, { method: "PUT", json: body }),
    onSuccess: () => router.refresh(),
  });
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body: Record<string, unknown> = { companyId };
    for (const field of NUMBERS) body[field.name] = Number(form.get(field.name));
    body.notifyEmail = String(form.get("notifyEmail") ?? "").trim() || null;
    body.notifyWebhookUrl = String(form.get("notifyWebhookUrl") ?? "").trim() || null;
    save.mutate(body);
  }
  return (
    <Card title={`Alert thresholds: ${companyName}`}>
      <form onSubmit={onSubmit} aria-label={`Alert thresholds of ${companyName}`}>
        <fieldset disabled={!canEdit} className="grid gap-3 sm:grid-cols-2">
          {NUMBERS.map((f) => (
            <NumberField
              key={f.name}
              label={f.label}
              hint={f.hint}
              name={f.name}
              min={0}
              step={f.step ?? "1"}
              defaultValue={String(thresholds[f.name] ?? "")}
            />
          ))}
          <Field label="Notify email" hint="Newly opened alerts, through the outbox">
            <Input name="notifyEmail" type="email" defaultValue={thresholds.notifyEmail ?? ""} />
          </Field>
          <Field label="Notify webhook URL">
            <Input name="notifyWebhookUrl" type="url" defaultValue={thresholds.notifyWebhookUrl ?? ""} />
          </Field>
          <SaveRow save={save} label="Save thresholds" isHidden={!canEdit} />
        </fieldset>
      </form>
    </Card>
  );
}
