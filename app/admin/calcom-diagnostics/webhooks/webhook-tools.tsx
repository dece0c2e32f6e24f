"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { fetchJson } from "@/lib/client/fetch-json";
import { CompanyOptions, type CompanyPickerProps } from "../company-options";

type TestResult = {
  url: string;
  status: number | null;
  ok: boolean;
  deliveryId: number | null;
  message: string | null;
  secretLabel: string | null;
};
type SignatureResult = { isMatch: boolean; verdict: string; expected: string; notes: string[] };

export function WebhookTools({
  companies,
  initialCompanyId,
  canOperate,
}: CompanyPickerProps & { canOperate: boolean }) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {canOperate && <TestDelivery companies={companies} initialCompanyId={initialCompanyId} />}
      <SignatureTester />
    </div>
  );
}

function TestDelivery({ companies, initialCompanyId }: CompanyPickerProps) {
  const client = useQueryClient();
  const [companyId, setCompanyId] = useState(String(initialCompanyId ?? companies[0]?.id ?? ""));
  const send = useMutation({
    mutationFn: () =>
      fetchJson<TestResult>("/api/admin/calcom/webhooks/test-delivery", {
        method: "POST",
        json: { companyId: Number(companyId) },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["webhooks"] }),
  });
  return (
    <Card title="Test delivery">
      <p className="mb-2 text-xs text-slate-600">
        Sends a PING signed with the company&apos;s current secret to this app&apos;s own endpoint, like Cal.com&apos;s
        Ping test.
      </p>
      <div className="flex items-end gap-2">
        <Field label="Test company">
          <Select value={companyId} onChange={(e) => setCompanyId(e.target.value)}>
            <CompanyOptions companies={companies} />
          </Select>
        </Field>
        <Button onClick={() => send.mutate()} disabled={send.isPending || !companyId}>
          Send test delivery
        </Button>
      </div>
      {send.error && <p className="mt-2 text-sm text-red-600">{send.error.message}</p>}
      {send.data && (
        <p className="mt-2 text-sm" role="status">
          {send.data.ok ? "Delivered" : "Failed"}: {send.data.status ?? "no answer"} from {send.data.url}
          {send.data.deliveryId ? ` (delivery #${send.data.deliveryId})` : ""}
          {send.data.message ? `: ${send.data.message}` : ""}
        </p>
      )}
    </Card>
  );
}

function SignatureTester() {
  const test = useMutation({
    mutationFn: (body: { payload: string; secret: string; signature: string }) =>
      fetchJson<SignatureResult>("/api/admin/calcom/webhooks/signature-test", { method: "POST", json: body }),
  });
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    test.mutate({
      payload: String(data.get("payload") ?? ""),
      secret: String(data.get("secret") ?? ""),
      signature: String(data.get("signature") ?? ""),
    });
  }
  return (
    <Card title="Signature tester">
      <form onSubmit={onSubmit} className="space-y-2" aria-label="Signature tester">
        <Field label="Payload (raw body)">
          <textarea
            name="payload"
            rows={5}
            className="w-full rounded-md border border-slate-300 p-2 font-mono text-xs"
          />
        </Field>
        <div className="grid gap-2 sm:grid-cols-2">
          <Field label="Secret">
            <Input name="secret" type="password" autoComplete="off" />
          </Field>
          <Field label="Signature header value">
            <Input name="signature" autoComplete="off" />
          </Field>
        </div>
        <Button type="submit" disabled={test.isPending}>
          Check signature
        </Button>
      </form>
      {test.error && <p className="mt-2 text-sm text-red-600">{test.error.message}</p>}
      {test.data && (
        <div className="mt-2 text-sm" role="status" aria-label="Signature verdict">
          <p className={test.data.isMatch ? "text-emerald-700" : "text-red-700"}>Verdict: {test.data.verdict}</p>
          <p className="break-all font-mono text-xs">expected {test.data.expected}</p>
          <ul className="list-inside list-disc text-xs">
            {test.data.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
