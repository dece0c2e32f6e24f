"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { SaveRow } from "@/components/ui/form";
import type { CompanyView } from "@/lib/companies/companies";
import { checkApiKeyFormat, checkApiUrl, type Finding } from "@/lib/companies/key-checks";
import { fetchJson } from "@/lib/client/fetch-json";

type Result = { company: CompanyView; findings: Finding[] };

function optionalNumber(value: FormDataEntryValue | null): number | null {
  const text = String(value ?? "").trim();
  return text ? Number(text) : null;
}

export function CompanySettingsForm({ company, canEdit = true }: { company: CompanyView; canEdit?: boolean }) {
  const router = useRouter();
  const [apiKey, setApiKey] = useState("");
  const [apiUrl, setApiUrl] = useState(company.calcom.source === "company" ? (company.calcom.apiUrl ?? "") : "");
  const liveFindings = [
    ...(apiKey ? checkApiKeyFormat(apiKey, { isProduction: Boolean(apiUrl) }) : []),
    ...(apiUrl ? checkApiUrl(apiUrl) : []),
  ];
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      fetchJson<Result>(`/api/admin/calcom/companies/${company.id}`, { method: "PATCH", json: body }),
    onSuccess: () => {
      setApiKey("");
      router.refresh();
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate({
      name: String(form.get("name")),
      timeZone: String(form.get("timeZone")),
      calcomApiUrl: apiUrl.trim() || null,
      ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}),
      calcomTeamId: optionalNumber(form.get("teamId")),
      calcomTeamSlug: String(form.get("teamSlug") ?? "").trim() || null,
      calcomOrganizationId: optionalNumber(form.get("organizationId")),
    });
  }

  return (
    <Card
      title={company.name}
      actions={
        company.calcom.source === "unconfigured" ? (
          <Badge tone="red">Cal.com not configured</Badge>
        ) : company.calcom.isSandbox ? (
          <Badge tone="amber">sandbox</Badge>
        ) : (
          <Badge tone="blue">{company.calcom.source === "environment" ? "from environment" : "Cal.com"}</Badge>
        )
      }
    >
      <form onSubmit={onSubmit} aria-label={`Settings for ${company.name}`}>
        {/* Viewers read the settings; only admins change them. */}
        <fieldset disabled={!canEdit} className="grid gap-3 sm:grid-cols-2">
          <Field label="Name">
            <Input name="name" defaultValue={company.name} required />
          </Field>
          <Field label="Time zone">
            <Input name="timeZone" defaultValue={company.timeZone} required />
          </Field>
          <Field
            className="sm:col-span-2"
            label="Cal.com API URL"
            hint="Empty: the built-in sandbox (or the environment's CALCOM_V2_API_URL for the default company)."
          >
            <Input
              name="apiUrl"
              value={apiUrl}
              onChange={(e) => setApiUrl(e.target.value)}
              placeholder="https://api.cal.com/v2"
            />
          </Field>
          <Field
            className="sm:col-span-2"
            label="API key"
            hint={
              company.calcom.apiKeyMasked
                ? `Stored key: ${company.calcom.apiKeyMasked}. Enter a new one to replace it.`
                : "No key stored."
            }
          >
            <Input
              name="apiKey"
              type="password"
              autoComplete="off"
              value={apiKey}
              onChange={(e) => setApiKey(e.target.value)}
              placeholder="cal_live_…"
            />
          </Field>
          <Field label="Team id">
            <Input name="teamId" inputMode="numeric" defaultValue={company.calcom.teamId ?? ""} />
          </Field>
          <Field label="Team slug">
            <Input name="teamSlug" defaultValue={company.calcom.teamSlug ?? ""} />
          </Field>
          <Field label="Organization id" hint="Only when the team belongs to a Cal.com organization.">
            <Input name="organizationId" inputMode="numeric" defaultValue={company.calcom.organizationId ?? ""} />
          </Field>
          <ul className="space-y-1 sm:col-span-2" aria-label="Key checks">
            {liveFindings.map((f) => (
              <li key={f.message} className={`text-sm ${f.level === "error" ? "text-red-600" : "text-amber-700"}`}>
                {f.level === "error" ? "Error: " : "Warning: "}
                {f.message}
              </li>
            ))}
          </ul>
          <SaveRow
            save={save}
            label={save.isPending ? "Saving…" : "Save"}
            isHidden={!canEdit}
            isDisabled={liveFindings.some((f) => f.level === "error")}
          />
        </fieldset>
      </form>
    </Card>
  );
}
