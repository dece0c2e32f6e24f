"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Checkbox, Field, Input, Select } from "@/components/ui/field";
import { PagedTable, type Column } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { useDisplayZone } from "@/lib/client/display-zone";
import { useWebhookLog, type WebhookFilters, type WebhookPage } from "@/lib/client/queries/webhooks";
import { useUrlFilters } from "@/lib/client/use-url-filters";
import { fromDateTimeLocalValue } from "@/lib/time/format";
import { BulkReprocess } from "./bulk-reprocess";
import { DeliveryDetail } from "./delivery-detail";
import { label, STATUSES, statusTone, TRIGGERS, VERDICTS, verdictTone } from "./labels";
import { CompanyOptions, type CompanyPickerProps } from "../company-options";

type Item = WebhookPage["items"][number];
export type Filters = WebhookFilters;

/** Filter keys in the URL (?trigger=…&uid=…); the open delivery is ?delivery=<id>, so a link opens it. */
const KEYS = ["logCompany", "trigger", "verdict", "status", "uid", "from", "to", "delivery"] as const;

function columns(onOpen: (id: number) => void): Column<Item>[] {
  return [
    {
      key: "received",
      header: "Received",
      cell: (r) => <Time at={r.receivedAt} seconds />,
      className: "whitespace-nowrap text-slate-600",
    },
    {
      key: "company",
      header: "Company",
      cell: (r) => r.companyName ?? (r.routeSlug ? `unknown: ${r.routeSlug}` : "unknown"),
      isSecondary: true,
    },
    {
      key: "trigger",
      header: "Trigger · booking",
      cell: (r) => (
        <>
          <span className="font-mono text-xs">{r.triggerEvent ?? "?"}</span>
          {r.bookingUid && (
            <div className="max-w-[11rem] truncate font-mono text-xs text-slate-500" title={r.bookingUid}>
              {r.bookingUid}
            </div>
          )}
        </>
      ),
    },
    {
      key: "verdict",
      header: "Verdict",
      cell: (r) => (
        <span title={r.verdictDetail}>
          <Badge tone={verdictTone(r.verdict)}>{label(r.verdict)}</Badge>{" "}
          <span className="text-xs text-slate-500">{r.responseStatus}</span>
        </span>
      ),
    },
    {
      key: "status",
      header: "Status",
      cell: (r) => (
        <>
          <Badge tone={statusTone(r.status)}>{r.status}</Badge>
          {r.duplicateCount > 0 && <span className="ml-1 text-xs text-slate-500">+{r.duplicateCount} repeated</span>}
        </>
      ),
    },
    {
      key: "outcome",
      header: "Outcome",
      cell: (r) => r.outcome ?? "",
      className: "max-w-xs truncate text-xs text-slate-600",
      isSecondary: true,
    },
    {
      key: "open",
      header: <span className="sr-only">Open</span>,
      cell: (r) => (
        <Button variant="secondary" aria-label={`Open delivery ${r.id}`} onClick={() => onOpen(r.id)}>
          Open
        </Button>
      ),
    },
  ];
}

export function WebhookLog({ companies, initialCompanyId, canOperate }: CompanyPickerProps & { canOperate: boolean }) {
  const { zone } = useDisplayZone();
  const { draft, set, applied } = useUrlFilters(KEYS, 250);
  const [isLive, setIsLive] = useState(true);
  const toIso = (local: string | undefined) => (local ? fromDateTimeLocalValue(local, zone)?.toISOString() : undefined);
  const companyId = applied.logCompany ?? initialCompanyId?.toString();
  const filters: Filters = {
    companyId,
    trigger: applied.trigger,
    verdict: applied.verdict,
    status: applied.status,
    bookingUid: applied.uid,
    from: toIso(applied.from),
    to: toIso(applied.to),
  };
  const query = useWebhookLog(filters, isLive);
  const selected = Number(applied.delivery) || null;
  const select = (id: number | null) => set("delivery", id ? String(id) : "");

  return (
    <div className="space-y-4">
      {selected !== null && <DeliveryDetail id={selected} canOperate={canOperate} onClose={() => select(null)} />}
      <Card
        title="Delivery log"
        actions={
          <Checkbox
            className="flex items-center gap-1 text-xs text-slate-600"
            checked={isLive}
            onChange={(e) => setIsLive(e.target.checked)}
          >
            Live refresh
          </Checkbox>
        }
      >
        <div
          className="mb-3 grid grid-cols-2 gap-2 md:grid-cols-4 xl:grid-cols-7"
          role="search"
          aria-label="Webhook filters"
        >
          <Field label="Company">
            <Select
              value={draft.logCompany || (initialCompanyId?.toString() ?? "")}
              onChange={(e) => set("logCompany", e.target.value)}
            >
              <option value="">All companies</option>
              <CompanyOptions companies={companies} />
            </Select>
          </Field>
          <Field label="Trigger">
            <Select value={draft.trigger} onChange={(e) => set("trigger", e.target.value)}>
              <option value="">Any trigger</option>
              {TRIGGERS.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Verdict">
            <Select value={draft.verdict} onChange={(e) => set("verdict", e.target.value)}>
              <option value="">Any verdict</option>
              {VERDICTS.map((v) => (
                <option key={v} value={v}>
                  {label(v)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Status">
            <Select value={draft.status} onChange={(e) => set("status", e.target.value)}>
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Booking uid starts with">
            <Input
              value={draft.uid}
              onChange={(e) => set("uid", e.target.value.trim())}
              placeholder="uid or its start"
            />
          </Field>
          <Field label={`From (${zone})`}>
            <Input type="datetime-local" value={draft.from} onChange={(e) => set("from", e.target.value)} />
          </Field>
          <Field label={`To (${zone})`}>
            <Input type="datetime-local" value={draft.to} onChange={(e) => set("to", e.target.value)} />
          </Field>
        </div>
        <PagedTable
          label="Webhook deliveries"
          query={query}
          columns={columns(select)}
          selectedKey={selected}
          rowTestId={(r) => `delivery-row-${r.id}`}
          empty="No deliveries match. Point Cal.com (or the sandbox) at /api/webhooks/calcom/<company slug>."
        />
      </Card>
      {canOperate && <BulkReprocess filters={filters} />}
    </div>
  );
}
