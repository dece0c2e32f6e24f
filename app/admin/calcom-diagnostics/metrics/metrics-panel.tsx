"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import type { MetricsResult } from "@/lib/metrics/metrics";
import { CategoryBars, ChartFigure, TimeBars, TimeLines, type Point } from "@/components/charts/charts";
import { StateBands } from "./state-bands";

const WINDOWS = [
  { value: "1h", label: "1 h" },
  { value: "24h", label: "24 h" },
  { value: "7d", label: "7 d" },
] as const;
type WindowValue = (typeof WINDOWS)[number]["value"];

const pct = (v: number | null) => (v === null ? "n/a" : `${(v * 100).toFixed(1)}%`);
const ms = (v: number | null) => (v === null ? "n/a" : `${Math.round(v)} ms`);
const age = (s: number | null) =>
  s === null ? "none" : s < 3600 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
const toPoints = <T extends { t: string }>(rows: T[], pick: (r: T) => Record<string, number | null>): Point[] =>
  rows.map((r) => ({ t: new Date(r.t).getTime(), ...pick(r) }));

function Stat({ label, value, tone }: { label: string; value: string; tone?: "bad" | "ok" }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 shadow-sm" data-testid={`stat-${label}`}>
      <div className="text-xs text-slate-500">{label}</div>
      <div className={`text-lg font-semibold ${tone === "bad" ? "text-red-600" : ""}`}>{value}</div>
    </div>
  );
}

export function MetricsPanel({ companyId, names }: { companyId?: number; names: Record<number, string> }) {
  const [win, setWin] = useState<WindowValue>("24h");
  const metrics = useQuery({
    queryKey: queryKeys.metrics(companyId, win),
    queryFn: () =>
      fetchJson<MetricsResult>(`/api/admin/calcom/metrics?window=${win}${companyId ? `&companyId=${companyId}` : ""}`),
    refetchInterval: 30_000,
  });
  const m = metrics.data;
  const s = m?.summary;
  return (
    <div className="space-y-4">
      <div className="flex items-center gap-2" role="group" aria-label="Window">
        {WINDOWS.map((w) => (
          <Button
            key={w.value}
            variant={win === w.value ? "primary" : "secondary"}
            aria-pressed={win === w.value}
            onClick={() => setWin(w.value)}
          >
            {w.label}
          </Button>
        ))}
        {m && (
          <span className="text-xs text-slate-500">
            Buckets of {m.bucketSeconds >= 3600 ? `${m.bucketSeconds / 3600} h` : `${m.bucketSeconds / 60} min`},
            refreshed every 30 s.
          </span>
        )}
      </div>
      {metrics.error && <p className="text-sm text-red-600">{metrics.error.message}</p>}
      {!m && !metrics.error && <p className="text-sm text-slate-500">Loading…</p>}
      {m && s && (
        <>
          <div className="grid grid-cols-2 gap-2 md:grid-cols-4 xl:grid-cols-6">
            <Stat label="Calls" value={String(s.calls)} />
            <Stat
              label="Success rate"
              value={pct(s.successRate)}
              tone={m.assessment.isSuccessRateLow ? "bad" : undefined}
            />
            <Stat
              label="Latency p50 / p95"
              value={`${ms(s.p50Ms)} / ${ms(s.p95Ms)}`}
              tone={m.assessment.isLatencyHigh ? "bad" : undefined}
            />
            <Stat label="Cache hit rate" value={pct(s.cacheHitRate)} />
            <Stat
              label="Circuit trips"
              value={`${s.circuitTrips} (max ${s.maxCircuitTripsPerHour}/h)`}
              tone={m.assessment.isTrippingOften ? "bad" : undefined}
            />
            <Stat label="Booking success" value={`${pct(s.bookingSuccessRate)} of ${s.bookingAttempts}`} />
            <Stat
              label="Webhooks (failed)"
              value={`${s.webhooksReceived} (${s.webhookFailures})`}
              tone={s.webhookFailures > 0 ? "bad" : undefined}
            />
            <Stat
              label="Sync runs (failed)"
              value={`${s.syncRuns} (${s.syncFailures})`}
              tone={s.syncFailures > 0 ? "bad" : undefined}
            />
            <Stat
              label="Manual queue"
              value={`${s.manualQueueSize} waiting, oldest ${age(s.manualQueueOldestAgeSeconds)}`}
              tone={s.manualQueueSize > 0 ? "bad" : undefined}
            />
            <Stat label="Availability" value={pct(s.availability)} />
          </div>
          <div className="grid gap-4 lg:grid-cols-2">
            <ChartFigure
              title="API success rate"
              note={`(calls without a CAL code; threshold ${m.thresholds.successRateMinPct}%)`}
            >
              <TimeLines
                percent
                data={toPoints(m.series, (r) => ({ successRate: r.successRate, availability: r.availability }))}
                series={[
                  { key: "successRate", name: "success", color: "#059669" },
                  { key: "availability", name: "availability", color: "#0284c7" },
                ]}
              />
            </ChartFigure>
            <ChartFigure title="Latency p50 / p95">
              <TimeLines
                unit=" ms"
                data={toPoints(m.series, (r) => ({ p50: r.p50Ms, p95: r.p95Ms }))}
                series={[
                  { key: "p50", name: "p50", color: "#0284c7" },
                  { key: "p95", name: "p95", color: "#dc2626" },
                ]}
              />
            </ChartFigure>
            <ChartFigure title="Calls per endpoint family">
              <CategoryBars
                data={m.families.map((f) => ({ family: f.family, ok: f.calls - f.failures, failed: f.failures }))}
                categoryKey="family"
                series={[
                  { key: "ok", name: "ok", color: "#059669", stack: "c" },
                  { key: "failed", name: "failed", color: "#dc2626", stack: "c" },
                ]}
              />
            </ChartFigure>
            <ChartFigure
              title="Circuit trips"
              note={`(transitions into open; threshold ${m.thresholds.circuitTripsPerHourMax} per hour)`}
            >
              <TimeBars
                data={toPoints(m.circuit.trips, (r) => ({ trips: r.trips }))}
                series={[{ key: "trips", name: "trips", color: "#dc2626" }]}
              />
            </ChartFigure>
            <ChartFigure title="Cache hit rate" note="(GET slots and event types)">
              <TimeLines
                percent
                data={toPoints(m.series, (r) => ({ cacheHitRate: r.cacheHitRate }))}
                series={[{ key: "cacheHitRate", name: "hit rate", color: "#7c3aed" }]}
              />
            </ChartFigure>
            <ChartFigure title="Booking success rate" note="(POST /v2/bookings)">
              <TimeLines
                percent
                data={toPoints(m.bookings, (r) => ({ successRate: r.successRate }))}
                series={[{ key: "successRate", name: "success", color: "#059669" }]}
              />
            </ChartFigure>
            <ChartFigure title="Webhook volume and failures">
              <TimeBars
                data={toPoints(m.webhooks, (r) => ({ ok: r.received - r.failed, failed: r.failed }))}
                series={[
                  { key: "ok", name: "accepted", color: "#0284c7", stack: "w" },
                  { key: "failed", name: "failed or rejected", color: "#dc2626", stack: "w" },
                ]}
              />
            </ChartFigure>
            <ChartFigure title="Sync runs and failures">
              <TimeBars
                data={toPoints(m.sync, (r) => ({ ok: r.runs - r.failed, failed: r.failed }))}
                series={[
                  { key: "ok", name: "succeeded", color: "#059669", stack: "s" },
                  { key: "failed", name: "failed or aborted", color: "#dc2626", stack: "s" },
                ]}
              />
            </ChartFigure>
          </div>
          <StateBands bands={m.circuit.bands} from={m.from} to={m.to} names={names} />
        </>
      )}
    </div>
  );
}
