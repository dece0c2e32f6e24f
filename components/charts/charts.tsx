"use client";

import type { ReactNode } from "react";
import { useDisplayZone } from "@/lib/client/display-zone";
import { formatAxisTick, formatDateTime } from "@/lib/time/format";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

/** Small recharts wrappers for the Metrics panel: time on the x axis, one figure per chart, labelled for tests and readers. */

export type Point = { t: number } & Record<string, number | null>;
export type SeriesSpec = { key: string; name: string; color: string; stack?: string };

/** The time axis and tooltips in the display zone, 24-hour (one time policy, lib/time). */
function useTimeAxis(data: Point[]) {
  const { zone } = useDisplayZone();
  const span = data.length > 1 ? data[data.length - 1]!.t - data[0]!.t : 3_600_000;
  return {
    axis: {
      dataKey: "t",
      type: "number" as const,
      domain: ["dataMin", "dataMax"] as [string, string],
      scale: "time" as const,
      tickFormatter: (t: number) => formatAxisTick(t, zone, span),
      fontSize: 11,
      minTickGap: 24,
    },
    label: (t: unknown) => formatDateTime(Number(t), zone),
  };
}

export function ChartFigure({ title, children, note }: { title: string; children: ReactNode; note?: ReactNode }) {
  const { zone } = useDisplayZone();
  return (
    <figure aria-label={title} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
      <figcaption className="mb-2 text-sm font-semibold text-slate-700">
        {title} {note && <span className="font-normal text-slate-500">{note}</span>}{" "}
        <span className="font-normal text-slate-400">(times in {zone})</span>
      </figcaption>
      <div className="h-52">{children}</div>
    </figure>
  );
}

export function TimeLines({
  data,
  series,
  unit,
  percent,
}: {
  data: Point[];
  series: SeriesSpec[];
  unit?: string;
  percent?: boolean;
}) {
  const fmt = (v: number) => (percent ? `${Math.round(v * 1000) / 10}%` : `${Math.round(v)}${unit ?? ""}`);
  const time = useTimeAxis(data);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 4, right: 16, bottom: 0, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis {...time.axis} />
        <YAxis fontSize={11} width={percent ? 52 : 68} tickFormatter={fmt} domain={percent ? [0, 1] : [0, "auto"]} />
        <Tooltip labelFormatter={time.label} formatter={(v) => (typeof v === "number" ? fmt(v) : String(v))} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        {series.map((s) => (
          <Line
            key={s.key}
            type="monotone"
            dataKey={s.key}
            name={s.name}
            stroke={s.color}
            dot={{ r: 2.5, fill: s.color }}
            connectNulls
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

export function TimeBars({ data, series }: { data: Point[]; series: SeriesSpec[] }) {
  const time = useTimeAxis(data);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 4, right: 16, bottom: 0, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis {...time.axis} padding={{ left: 10, right: 10 }} />
        <YAxis fontSize={11} width={40} allowDecimals={false} />
        <Tooltip labelFormatter={time.label} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} stackId={s.stack} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

export function CategoryBars({
  data,
  categoryKey,
  series,
}: {
  data: Record<string, string | number | null>[];
  categoryKey: string;
  series: SeriesSpec[];
}) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 4, right: 16, bottom: 0, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey={categoryKey} fontSize={11} />
        <YAxis fontSize={11} width={40} allowDecimals={false} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} stackId={s.stack} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
