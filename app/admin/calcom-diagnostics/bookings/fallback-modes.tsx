"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, NumberField } from "@/components/ui/field";
import { ActionForm } from "@/components/ui/form";
import { fetchJson } from "@/lib/client/fetch-json";
import { useFallbackModes, type FallbackMode } from "@/lib/client/queries/operating-mode";
import { Time } from "@/components/ui/time";

type Mode = FallbackMode;

function ModeRow({ mode, canOperate }: { mode: Mode; canOperate: boolean }) {
  const client = useQueryClient();
  const [reason, setReason] = useState("");
  const [minutes, setMinutes] = useState(120);
  const [isOpen, setIsOpen] = useState(false);
  const save = useMutation({
    mutationFn: (isEnabled: boolean) =>
      fetchJson("/api/admin/calcom/fallback-mode", {
        method: "POST",
        json: { companyId: mode.companyId, isEnabled, minutes, reason },
      }),
    onSuccess: () => {
      setIsOpen(false);
      setReason("");
      return client.invalidateQueries({ queryKey: ["bookings"] });
    },
  });
  const label = `fallback mode of ${mode.companyName}`;
  return (
    <li className="border-t border-slate-100 py-2 first:border-t-0" data-testid={`fallback-${mode.companyId}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{mode.companyName}</span>
        {mode.isActive ? <Badge tone="red">fallback on</Badge> : <Badge tone="green">normal booking</Badge>}
        {mode.isActive && (
          <span className="text-xs text-slate-600">
            until <Time at={mode.expiresAt} fallback="switched off" /> · {mode.reason}{" "}
            {mode.setBy ? `(${mode.setBy})` : ""}
          </span>
        )}
        {canOperate && (
          <Button
            variant="secondary"
            className="ml-auto"
            aria-label={`${mode.isActive ? "Switch off" : "Switch on"} ${label}`}
            onClick={() => setIsOpen(!isOpen)}
          >
            {mode.isActive ? "Switch off…" : "Switch on…"}
          </Button>
        )}
      </div>
      {isOpen && (
        <ActionForm
          label={`Change ${label}`}
          className="mt-2 flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-slate-50 p-3"
          onSubmit={() => save.mutate(!mode.isActive)}
        >
          <Field label="Reason" hint="Recorded in the audit log." className="min-w-64 flex-1">
            <Input value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} />
          </Field>
          {!mode.isActive && (
            <NumberField
              label="Duration (minutes)"
              hint="Switches itself off after this."
              className="w-40"
              min={1}
              max={10080}
              value={minutes}
              onChange={(e) => setMinutes(Number(e.target.value))}
            />
          )}
          <Button type="submit" variant={mode.isActive ? "primary" : "danger"} disabled={save.isPending}>
            {mode.isActive ? "Confirm switch off" : "Confirm switch on"}
          </Button>
          {save.error && <p className="w-full text-sm text-red-600">{save.error.message}</p>}
        </ActionForm>
      )}
    </li>
  );
}

export function FallbackModes({ companyId, canOperate }: { companyId?: number; canOperate: boolean }) {
  const modes = useFallbackModes(companyId);
  return (
    <Card title="Fallback mode">
      <p className="mb-2 text-sm text-slate-600">
        While on, every booking request of the company goes to the manual queue instead of Cal.com. It switches itself
        off when it expires (default 2 hours); the recovery job then books what is still free.
      </p>
      {modes.error && <p className="text-sm text-red-600">{modes.error.message}</p>}
      <ul className="text-sm">
        {modes.data?.modes.map((m) => (
          <ModeRow key={m.companyId} mode={m} canOperate={canOperate} />
        ))}
      </ul>
    </Card>
  );
}
