"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import type { CompanyView } from "@/lib/companies/companies";
import { fetchJson } from "@/lib/client/fetch-json";

export function WebhookSecrets({ company, canEdit = true }: { company: CompanyView; canEdit?: boolean }) {
  const router = useRouter();
  const base = `/api/admin/calcom/companies/${company.id}/webhook-secrets`;
  const add = useMutation({
    mutationFn: (body: { label: string; secret: string }) => fetchJson(base, { method: "POST", json: body }),
    onSuccess: () => router.refresh(),
  });
  const toggle = useMutation({
    mutationFn: (v: { id: number; isActive: boolean }) =>
      fetchJson(`${base}/${v.id}`, { method: "PATCH", json: { isActive: v.isActive } }),
    onSuccess: () => router.refresh(),
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    add.mutate(
      { label: String(data.get("label")), secret: String(data.get("secret")) },
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <Card title={`Webhook secrets · ${company.name}`}>
      {company.webhookSecrets.length === 0 && (
        <p className="mb-3 text-sm text-amber-700">No webhook secret: deliveries cannot be verified.</p>
      )}
      <ul className="mb-4 divide-y divide-slate-100 text-sm">
        {company.webhookSecrets.map((s) => (
          <li key={`${s.source}-${s.id}`} className="flex items-center justify-between gap-2 py-1.5">
            <span>
              {s.label} <span className="font-mono text-slate-500">{s.masked}</span>{" "}
              {s.isActive ? <Badge tone="green">active</Badge> : <Badge>retired</Badge>}
              {s.source === "environment" && (
                <span className="ml-1 text-xs text-slate-500">from the environment; change it there</span>
              )}
            </span>
            {s.source === "stored" && canEdit && (
              <Button
                variant="secondary"
                onClick={() => toggle.mutate({ id: s.id, isActive: !s.isActive })}
                disabled={toggle.isPending}
              >
                {s.isActive ? "Retire" : "Activate"}
              </Button>
            )}
          </li>
        ))}
      </ul>
      {canEdit && (
        <form
          onSubmit={onSubmit}
          className="grid gap-2 sm:grid-cols-[1fr_2fr_auto] sm:items-end"
          aria-label={`Add webhook secret for ${company.name}`}
        >
          <Field label="Label">
            <Input name="label" required defaultValue="rotated" />
          </Field>
          <Field label="New secret">
            <Input name="secret" type="password" autoComplete="off" required minLength={8} />
          </Field>
          <Button type="submit" disabled={add.isPending}>
            Add
          </Button>
        </form>
      )}
      {add.error && <p className="mt-2 text-sm text-red-600">{add.error.message}</p>}
    </Card>
  );
}
