"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { fetchJson } from "@/lib/client/fetch-json";

type Check = {
  ok: boolean;
  latencyMs: number;
  value?: Record<string, unknown>;
  error?: { message: string; calCode?: string; hint?: string };
};
type Result = {
  isSandbox: boolean;
  baseUrl: string;
  findings: { level: string; message: string }[];
  me: Check;
  teamAccess: Check;
};

function Line({ label, check }: { label: string; check: Check }) {
  return (
    <li className={check.ok ? "text-emerald-700" : "text-red-700"}>
      {label}: {check.ok ? "ok" : "failed"} ({check.latencyMs} ms)
      {check.ok && check.value
        ? ` · ${Object.entries(check.value)
            .map(([k, v]) => `${k} ${String(v)}`)
            .join(", ")}`
        : ""}
      {check.error
        ? ` · ${check.error.calCode ?? ""} ${check.error.message}${check.error.hint ? `. ${check.error.hint}` : ""}`
        : ""}
    </li>
  );
}

export function TestConnection({ companyId }: { companyId: number }) {
  const test = useMutation({
    mutationFn: () =>
      fetchJson<Result>(`/api/admin/calcom/companies/${companyId}/test-connection`, { method: "POST", json: {} }),
  });
  return (
    <div className="w-full">
      <Button variant="secondary" onClick={() => test.mutate()} disabled={test.isPending}>
        {test.isPending ? "Testing…" : "Test connection"}
      </Button>
      {test.error && <p className="mt-2 text-sm text-red-600">{test.error.message}</p>}
      {test.data && (
        <ul className="mt-2 space-y-0.5 text-sm" aria-label="Connection test result">
          <li className="text-slate-600">Target: {test.data.isSandbox ? "built-in sandbox" : test.data.baseUrl}</li>
          <Line label="GET /v2/me" check={test.data.me} />
          <Line label="Team event types" check={test.data.teamAccess} />
          {test.data.findings.map((f) => (
            <li key={f.message} className={f.level === "error" ? "text-red-700" : "text-amber-700"}>
              {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
