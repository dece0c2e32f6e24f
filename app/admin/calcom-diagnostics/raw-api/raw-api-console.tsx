"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { fetchJson } from "@/lib/client/fetch-json";
import type { RawApiResult } from "@/lib/raw-api/raw-api";

const EXAMPLES = [
  "/v2/me",
  "/v2/teams/{teamId}/event-types",
  "/v2/bookings?take=5&status=upcoming",
  "/v2/slots?eventTypeId=…&start=…&end=…",
];

export function RawApiConsole({
  companies,
  initialCompanyId,
}: {
  companies: { id: number; name: string }[];
  initialCompanyId?: number;
}) {
  const [companyId, setCompanyId] = useState(initialCompanyId ?? 0);
  const [path, setPath] = useState("/v2/me");
  const [params, setParams] = useState("");
  const [version, setVersion] = useState("");
  const send = useMutation({
    mutationFn: () => {
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
        <form
          aria-label="Raw API request"
          className="grid gap-3 md:grid-cols-[12rem_4rem_1fr]"
          onSubmit={(e) => {
            e.preventDefault();
            send.mutate();
          }}
        >
          <Field label="Company to call">
            <Select value={companyId} onChange={(e) => setCompanyId(Number(e.target.value))}>
              {companies.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Method">
            <Input value="GET" readOnly aria-readonly />
          </Field>
          <Field label="Path" hint={`Under the API base, e.g. ${EXAMPLES.join(", ")}`}>
            <Input value={path} onChange={(e) => setPath(e.target.value)} required className="font-mono" />
          </Field>
          <div className="md:col-span-2">
            <Field label="Query parameters (JSON, optional)">
              <Input
                value={params}
                onChange={(e) => setParams(e.target.value)}
                placeholder='{"take":5}'
                className="font-mono"
              />
            </Field>
          </div>
          <Field label="cal-api-version (optional)" hint="Empty: the company's version for this endpoint family.">
            <Input
              value={version}
              onChange={(e) => setVersion(e.target.value)}
              placeholder="2024-08-13"
              className="font-mono"
            />
          </Field>
          <div>
            <Button type="submit" disabled={send.isPending || !companyId}>
              Send GET
            </Button>
          </div>
        </form>
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
