"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { ActionForm } from "@/components/ui/form";
import { fetchJson } from "@/lib/client/fetch-json";
import type { RawApiResult } from "@/lib/raw-api/raw-api";
import { CompanyOptions, type CompanyPickerProps } from "../company-options";

const EXAMPLES = [
  "/v2/me",
  "/v2/teams/{teamId}/event-types",
  "/v2/bookings?take=5&status=upcoming",
  "/v2/slots?eventTypeId=…&start=…&end=…",
];

/** The request's text inputs, in the grid's order after company and method. */
const REQUEST_FIELDS: {
  name: "path" | "params" | "version";
  label: string;
  isRequired?: boolean;
  hint?: string;
  placeholder?: string;
  className?: string;
}[] = [
  { name: "path", label: "Path", isRequired: true, hint: `Under the API base, e.g. ${EXAMPLES.join(", ")}` },
  {
    name: "params",
    label: "Query parameters (JSON, optional)",
    placeholder: '{"take":5}',
    className: "md:col-span-2",
  },
  {
    name: "version",
    label: "cal-api-version (optional)",
    hint: "Empty: the company's version for this endpoint family.",
    placeholder: "2024-08-13",
  },
];

export function RawApiConsole({ companies, initialCompanyId }: CompanyPickerProps) {
  const [companyId, setCompanyId] = useState(initialCompanyId ?? 0);
  const [request, setRequest] = useState({ path: "/v2/me", params: "", version: "" });
  const send = useMutation({
    mutationFn: () => {
      const { path, params, version } = request;
      const qs = new URLSearchParams({ companyId: String(companyId), path });
      if (params.trim()) qs.set("params", params);
      if (version.trim()) qs.set("version", version.trim());
      return fetchJson<RawApiResult>(`/api/admin/calcom/raw-api?${qs}`);
    },
  });
  const r = send.data;
  return (
    <div className="space-y-4">
      <Card title="Request">
        <ActionForm
          label="Raw API request"
          className="grid gap-3 md:grid-cols-[12rem_4rem_1fr]"
          onSubmit={() => send.mutate()}
        >
          <Field label="Company to call">
            <Select value={companyId} onChange={(e) => setCompanyId(Number(e.target.value))}>
              <CompanyOptions companies={companies} />
            </Select>
          </Field>
          <Field label="Method">
            <Input value="GET" readOnly aria-readonly />
          </Field>
          {REQUEST_FIELDS.map((f) => (
            <Field key={f.name} label={f.label} hint={f.hint} className={f.className}>
              <Input
                value={request[f.name]}
                onChange={(e) => setRequest({ ...request, [f.name]: e.target.value })}
                required={f.isRequired}
                placeholder={f.placeholder}
                className="font-mono"
              />
            </Field>
          ))}
          <div>
            <Button type="submit" disabled={send.isPending || !companyId}>
              Send GET
            </Button>
          </div>
        </ActionForm>
        {send.error && <p className="mt-2 text-sm text-red-600">{send.error.message}</p>}
      </Card>
      {r && (
        <Card title="Response" actions={<Badge tone={r.ok ? "green" : "red"}>{r.status ?? "no answer"}</Badge>}>
          <p className="mb-2 break-all font-mono text-xs text-slate-600" data-testid="raw-api-url">
            GET {r.request.url} · {r.durationMs} ms{" "}
            {r.request.headers["cal-api-version"] ? `· cal-api-version ${r.request.headers["cal-api-version"]}` : ""}
          </p>
          {r.error && (
            <p className="mb-2 text-sm text-red-700">
              {r.error.calCode} {r.error.title}: {r.error.message}. {r.error.hint}
            </p>
          )}
          {r.response && (
            <>
              <pre className="mb-2 overflow-x-auto rounded bg-slate-50 p-2 text-xs">
                {Object.entries(r.response.headers)
                  .map(([k, v]) => `${k}: ${v}`)
                  .join("\n")}
              </pre>
              <pre
                className="max-h-[32rem] overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100"
                aria-label="Response body"
              >
                {JSON.stringify(r.response.body, null, 2)}
              </pre>
            </>
          )}
          {!r.response && r.error?.details !== undefined && (
            <pre className="overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100" aria-label="Response body">
              {JSON.stringify(r.error.details, null, 2)}
            </pre>
          )}
        </Card>
      )}
    </div>
  );
}
