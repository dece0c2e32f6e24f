"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { formatMinutes, plural } from "@/lib/time/format";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage, Loading } from "@/components/ui/query-state";
import { useOverview, type OverviewCompany as CompanyOverview } from "@/lib/client/queries/overview";
import type { Health } from "@/lib/overview/overview";
import { BASE_PATH } from "./nav-items";

const TONE: Record<Health, Tone> = { ok: "green", warning: "amber", critical: "red", unknown: "gray" };
const LABEL: Record<Health, string> = { ok: "healthy", warning: "warning", critical: "critical", unknown: "no data" };

function Row({ label, health, href, children }: { label: string; health: Health; href: string; children: ReactNode }) {
  return (
    <li className="flex items-start justify-between gap-3 py-1.5">
      <Link href={href} className="min-w-28 font-medium text-slate-700 underline-offset-2 hover:underline">
        {label}
      </Link>
      <span className="flex-1 text-right text-slate-600">{children}</span>
      <Badge tone={TONE[health]}>{LABEL[health]}</Badge>
    </li>
  );
}

function CompanyTile({ c }: { c: CompanyOverview }) {
  const q = `?company=${c.companyId}`;
  return (
    <Card
      title={c.companyName}
      actions={
        <>
          {!c.isConfigured ? (
            <Badge tone="red">Cal.com not configured</Badge>
          ) : c.isSandbox ? (
            <Badge tone="amber">sandbox</Badge>
          ) : (
            <Badge tone="blue">Cal.com</Badge>
          )}
          <Badge tone={TONE[c.health]}>
            {c.verdict.status === "not_configured" ? "not configured" : c.health === "ok" ? "healthy" : LABEL[c.health]}
          </Badge>
        </>
      }
    >
      <ul className="divide-y divide-slate-100 text-sm" aria-label={`Health of ${c.companyName}`}>
        <Row label="API" health={c.api.health} href={`${BASE_PATH}/metrics${q}`}>
          {c.api.calls === 0
            ? `no calls in the last ${c.api.windowMinutes} min`
            : `${c.api.successRatePct}% of ${c.api.calls} calls ok, p95 ${c.api.p95Ms} ms (${c.api.windowMinutes} min)`}
        </Row>
        <Row label="Circuit" health={c.circuit.health} href={`${BASE_PATH}/circuit${q}`}>
          {c.circuit.state.replace("_", "-")}
          {c.circuit.isForcedOpen ? (
            <>
              {" "}
              (held open by an operator until <Time at={c.circuit.forcedOpenUntil} fallback="further notice" />)
            </>
          ) : c.circuit.state !== "closed" && c.circuit.lastFailureCode ? (
            ` after ${c.circuit.lastFailureCode}`
          ) : (
            ""
          )}
        </Row>
        <Row label="Booking" health={c.fallback.isActive ? "warning" : "ok"} href={`${BASE_PATH}/bookings${q}`}>
          {c.fallback.isActive ? (
            <span data-testid={`fallback-on-${c.companyId}`}>
              fallback mode until <Time at={c.fallback.expiresAt} fallback="switched off" />: every caller goes to the
              manual queue
            </span>
          ) : (
            "normal: callers book in Cal.com"
          )}
        </Row>
        <Row label="Sync" health={c.sync.health} href={`${BASE_PATH}/sync-runs${q}`}>
          {c.sync.summary}
        </Row>
        <Row label="Webhooks" health={c.webhooks.health} href={`${BASE_PATH}/webhooks${q}`}>
          {c.webhooks.summary}
        </Row>
        <Row label="Manual queue" health={c.manualQueue.health} href={`${BASE_PATH}/bookings${q}`}>
          {c.manualQueue.waiting === 0
            ? "empty"
            : `${c.manualQueue.waiting} waiting, oldest ${formatMinutes(c.manualQueue.oldestAgeMinutes ?? 0)}`}
        </Row>
        <Row label="Alerts" health={c.alerts.health} href={`${BASE_PATH}${q}#alerts`}>
          {c.alerts.open === 0 && c.alerts.acknowledged === 0
            ? "none open"
            : `${c.alerts.open} open, ${c.alerts.acknowledged} acknowledged`}
        </Row>
      </ul>
      <div className="mt-3">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Errors in the last 24 h</h3>
        {c.recentErrors.length === 0 ? (
          <p className="text-sm text-slate-500">No Cal.com errors.</p>
        ) : (
          <ul className="mt-1 space-y-0.5 text-sm" aria-label={`Recent errors of ${c.companyName}`}>
            {c.recentErrors.map((e) => (
              <li key={e.code} className="flex justify-between gap-2">
                <Link className="underline" href={`${BASE_PATH}/metrics${q}&code=${e.code}`}>
                  {e.code}
                </Link>
                <span className="flex-1 text-slate-600">{e.title}</span>
                <span className="tabular-nums">{plural(e.count, "time")}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}

export function OverviewGrid({ companyId }: { companyId?: number }) {
  const overview = useOverview(companyId);
  if (overview.error) return <ErrorMessage error={overview.error} onRetry={() => overview.refetch()} />;
  if (!overview.data) return <Loading />;
  if (!overview.data.companies.length) return <EmptyState title="No companies">Add a company in Settings.</EmptyState>;
  return (
    <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
      {overview.data.companies.map((c) => (
        <CompanyTile key={c.companyId} c={c} />
      ))}
    </div>
  );
}
