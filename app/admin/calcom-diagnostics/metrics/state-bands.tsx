"use client";

import { useFormatTime } from "@/components/ui/time";
import type { StateBand } from "@/lib/metrics/api-metrics";

const COLORS: Record<StateBand["state"], string> = {
  closed: "bg-emerald-400",
  half_open: "bg-amber-400",
  open: "bg-red-500",
};

/** The circuit's state over the window, one strip per company (a band per state, width by duration). */
export function StateBands({
  bands,
  from,
  to,
  names,
}: {
  bands: StateBand[];
  from: string;
  to: string;
  names: Record<number, string>;
}) {
  const format = useFormatTime();
  const start = new Date(from).getTime();
  const span = new Date(to).getTime() - start;
  const companies = [...new Set(bands.map((b) => b.companyId))];
  return (
    <figure aria-label="Circuit state bands" className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
      <figcaption className="mb-2 text-sm font-semibold text-slate-700">
        Circuit state over the window{" "}
        <span className="font-normal text-slate-500">
          (<span className="text-emerald-600">closed</span>, <span className="text-amber-600">half-open</span>,{" "}
          <span className="text-red-600">open</span>)
        </span>
      </figcaption>
      {companies.length === 0 && (
        <p className="text-sm text-slate-500">No circuit transitions recorded yet: every circuit has stayed closed.</p>
      )}
      <div className="space-y-2">
        {companies.map((id) => (
          <div key={id} className="flex items-center gap-2 text-xs">
            <span className="w-40 truncate text-slate-600">{names[id] ?? `Company ${id}`}</span>
            <div className="relative h-4 flex-1 overflow-hidden rounded bg-slate-100">
              {bands
                .filter((b) => b.companyId === id)
                .map((b) => {
                  const left = ((new Date(b.from).getTime() - start) / span) * 100;
                  const width = Math.max(((new Date(b.to).getTime() - new Date(b.from).getTime()) / span) * 100, 0.3);
                  return (
                    <div
                      key={b.from}
                      data-state={b.state}
                      title={`${b.state} from ${format(b.from)} to ${format(b.to)}`}
                      className={`absolute inset-y-0 ${COLORS[b.state]}`}
                      style={{ left: `${left}%`, width: `${width}%` }}
                    />
                  );
                })}
            </div>
          </div>
        ))}
      </div>
    </figure>
  );
}
