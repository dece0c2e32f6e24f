"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import type { WatchdogCompanySummary, WatchdogSummary } from "@/lib/watchdog/summary";
import { BASE_PATH } from "./nav-items";

const STATUS_LABEL: Record<string, string> = {
  missed: "missed",
  wrong_trigger: "wrong trigger",
  unexpected: "unexpected change",
};

/** Overview card of the expected-webhook watchdog: did every change we made come back from Cal.com as a webhook? */
export function WatchdogCard({ companyId, canOperate }: { companyId?: number; canOperate: boolean }) {
  const queryClient = useQueryClient();
  const summary = useQuery({
    queryKey: queryKeys.watchdog(companyId),
    queryFn: () =>
      fetchJson<WatchdogSummary>(`/api/admin/calcom/watchdog${companyId ? `?companyId=${companyId}` : ""}`),
    refetchInterval: 30_000,
  });
  const check = useMutation({
    mutationFn: (id: number) =>
      fetchJson(`/api/admin/calcom/watchdog/subscription-check`, { method: "POST", json: { companyId: id } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["watchdog"] }),
  });
  return (
    <Card title={<span id="watchdog">Expected webhooks (last {summary.data?.windowHours ?? 24} h)</span>}>
      {summary.isPending && <p className="text-sm text-slate-500">Loading…</p>}
      {summary.error && <p className="text-sm text-red-600">{summary.error.message}</p>}
      <div className="grid gap-4 md:grid-cols-2">
        {summary.data?.companies.map((c) => (
          <CompanyWatchdog
            key={c.companyId}
            c={c}
            canOperate={canOperate}
            onCheck={() => check.mutate(c.companyId)}
            isChecking={check.isPending && check.variables === c.companyId}
          />
        ))}
      </div>
      {check.error && <p className="mt-2 text-sm text-red-600">{check.error.message}</p>}
    </Card>
  );
}

function CompanyWatchdog({
  c,
  canOperate,
  onCheck,
  isChecking,
}: {
  c: WatchdogCompanySummary;
  canOperate: boolean;
  onCheck: () => void;
  isChecking: boolean;
}) {
  const sub = c.subscription;
  return (
    <section aria-label={`Expected webhooks of ${c.companyName}`} className="space-y-2 text-sm">
      <p className="font-medium text-slate-800">{c.companyName}</p>
      <div className="flex flex-wrap gap-2">
        <Badge tone="green">{c.met} met</Badge>
        <Badge tone="gray">{c.pending} waiting</Badge>
        <Badge tone={c.missed ? "red" : "gray"}>{c.missed} missed</Badge>
        <Badge tone={c.wrongTrigger ? "amber" : "gray"}>{c.wrongTrigger} wrong trigger</Badge>
        <Badge tone={c.unexpected ? "blue" : "gray"}>{c.unexpected} unexpected</Badge>
        {c.medianLagSeconds !== null && <span className="text-slate-500">median delay {c.medianLagSeconds} s</span>}
      </div>
      {c.problems.length > 0 && (
        <ul className="space-y-1">
          {c.problems.map((p) => (
            <li key={p.id} className="text-slate-700">
              {STATUS_LABEL[p.status] ?? p.status}: {p.action} of{" "}
              {p.appointmentId ? (
                <Link className="underline" href={`${BASE_PATH}/appointments/${p.appointmentId}`}>
                  {p.bookingUid}
                </Link>
              ) : (
                <code>{p.bookingUid}</code>
              )}
              {p.actualTrigger ? ` (${p.actualTrigger})` : ""}{" "}
              <span className="text-slate-500">{new Date(p.createdAt).toLocaleString()}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="flex items-center gap-2">
        <span>Subscription:</span>
        {sub ? (
          <Badge tone={sub.isOk ? "green" : "red"}>{sub.isOk ? "matches" : "drift"}</Badge>
        ) : (
          <Badge>not checked yet</Badge>
        )}
        {sub && <span className="text-slate-500">checked {new Date(sub.checkedAt).toLocaleString()}</span>}
        {canOperate && (
          <Button type="button" onClick={onCheck} disabled={isChecking}>
            Check subscription
          </Button>
        )}
      </div>
      {sub && !sub.isOk && (
        <ul className="list-disc pl-5 text-red-700">
          {sub.issues.map((i) => (
            <li key={i.code}>{i.message}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
