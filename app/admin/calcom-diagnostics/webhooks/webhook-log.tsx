"use client";

import { Time } from "@/components/ui/time";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import { BulkReprocess } from "./bulk-reprocess";
import { DeliveryDetail } from "./delivery-detail";
import { label, STATUSES, statusTone, TRIGGERS, VERDICTS, verdictTone } from "./labels";

type Item = {
  id: number;
  receivedAt: string;
  companyId: number | null;
  companyName: string | null;
  routeSlug: string | null;
  triggerEvent: string | null;
  bookingUid: string | null;
  verdict: string;
  verdictDetail: string;
  responseStatus: number;
  status: string;
  outcome: string | null;
  attempts: number;
  duplicateCount: number;
};
type Page = { items: Item[]; nextCursor: string | null };
export type Filters = { companyId?: string; trigger?: string; verdict?: string; status?: string; bookingUid?: string; from?: string; to?: string };

const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

function useWebhookLog(filters: Filters, isLive: boolean) {
  return useInfiniteQuery({
    queryKey: queryKeys.webhooks(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => {
      const qs = new URLSearchParams(Object.entries({ ...filters, cursor: pageParam }).filter((e): e is [string, string] => Boolean(e[1])));
      return fetchJson<Page>(`/api/admin/calcom/webhooks?${qs}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: isLive ? 5_000 : false,
  });
}

export function WebhookLog({ companies, initialCompanyId, canOperate }: { companies: { id: number; name: string }[]; initialCompanyId?: number; canOperate: boolean }) {
  const [companyId, setCompanyId] = useState(initialCompanyId?.toString() ?? "");
  const [trigger, setTrigger] = useState("");
  const [verdict, setVerdict] = useState("");
  const [status, setStatus] = useState("");
  const [bookingUid, setBookingUid] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [isLive, setIsLive] = useState(true);
  const [selected, setSelected] = useState<number | null>(null);
  const filters: Filters = { companyId: companyId || undefined, trigger: trigger || undefined, verdict: verdict || undefined, status: status || undefined, bookingUid: bookingUid || undefined, from: toIso(from), to: toIso(to) };
  const query = useWebhookLog(filters, isLive);
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="space-y-4">
      <Card title="Delivery log" actions={<label className="flex items-center gap-1 text-xs text-slate-600"><input type="checkbox" checked={isLive} onChange={(e) => setIsLive(e.target.checked)} /> Live refresh</label>}>
        <div className="mb-3 grid gap-2 sm:grid-cols-4 lg:grid-cols-7" role="search" aria-label="Webhook filters">
          <Field label="Company">
            <Select value={companyId} onChange={(e) => setCompanyId(e.target.value)}>
              <option value="">All companies</option>
              {companies.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </Select>
          </Field>
          <Field label="Trigger">
            <Select value={trigger} onChange={(e) => setTrigger(e.target.value)}>
              <option value="">Any trigger</option>
              {TRIGGERS.map((t) => <option key={t} value={t}>{t}</option>)}
            </Select>
          </Field>
          <Field label="Verdict">
            <Select value={verdict} onChange={(e) => setVerdict(e.target.value)}>
              <option value="">Any verdict</option>
              {VERDICTS.map((v) => <option key={v} value={v}>{label(v)}</option>)}
            </Select>
          </Field>
          <Field label="Status">
            <Select value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">Any status</option>
              {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
            </Select>
          </Field>
          <Field label="Booking uid">
            <Input value={bookingUid} onChange={(e) => setBookingUid(e.target.value.trim())} placeholder="uid" />
          </Field>
          <Field label="From">
            <Input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          </Field>
          <Field label="To">
            <Input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          </Field>
        </div>
        {query.error && <p className="text-sm text-red-600">{query.error.message}</p>}
        <div className="overflow-x-auto rounded border border-slate-200">
          <table className="w-full text-left text-sm" aria-label="Webhook deliveries">
            <thead className="bg-slate-50 text-xs uppercase text-slate-500">
              <tr>
                <th className="px-3 py-2">Received</th>
                <th className="px-3 py-2">Company</th>
                <th className="px-3 py-2">Trigger</th>
                <th className="px-3 py-2">Booking uid</th>
                <th className="px-3 py-2">Verdict</th>
                <th className="px-3 py-2">Status</th>
                <th className="px-3 py-2">Outcome</th>
                <th className="px-3 py-2"><span className="sr-only">Open</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className={`border-t border-slate-100 align-top ${selected === r.id ? "bg-sky-50" : ""}`} data-testid={`delivery-row-${r.id}`}>
                  <td className="whitespace-nowrap px-3 py-2 text-slate-600"><Time at={r.receivedAt} seconds /></td>
                  <td className="px-3 py-2">{r.companyName ?? (r.routeSlug ? `unknown: ${r.routeSlug}` : "unknown")}</td>
                  <td className="px-3 py-2 font-mono text-xs">{r.triggerEvent ?? "?"}</td>
                  <td className="max-w-[12rem] truncate px-3 py-2 font-mono text-xs">{r.bookingUid ?? ""}</td>
                  <td className="px-3 py-2" title={r.verdictDetail}><Badge tone={verdictTone(r.verdict)}>{label(r.verdict)}</Badge> <span className="text-xs text-slate-500">{r.responseStatus}</span></td>
                  <td className="px-3 py-2">
                    <Badge tone={statusTone(r.status)}>{r.status}</Badge>
                    {r.duplicateCount > 0 && <span className="ml-1 text-xs text-slate-500">+{r.duplicateCount} dup</span>}
                  </td>
                  <td className="max-w-md truncate px-3 py-2 text-xs text-slate-600" title={r.outcome ?? ""}>{r.outcome ?? ""}</td>
                  <td className="px-3 py-2">
                    <Button variant="secondary" aria-label={`Open delivery ${r.id}`} onClick={() => setSelected(r.id)}>Open</Button>
                  </td>
                </tr>
              ))}
              {!query.isLoading && rows.length === 0 && (
                <tr>
                  <td colSpan={8} className="px-3 py-6 text-center text-slate-500">No deliveries match. Point Cal.com (or the sandbox) at /api/webhooks/calcom/&lt;company slug&gt;.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        {query.hasNextPage && (
          <Button className="mt-3" variant="secondary" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        )}
      </Card>
      {selected !== null && <DeliveryDetail id={selected} canOperate={canOperate} onClose={() => setSelected(null)} />}
      {canOperate && <BulkReprocess filters={filters} />}
    </div>
  );
}
