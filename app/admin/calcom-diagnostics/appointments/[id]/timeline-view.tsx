"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import type { TimelineEvent } from "@/lib/timeline/events";
import type { Timeline } from "@/lib/timeline/timeline";

const KIND_LABEL: Record<TimelineEvent["kind"], string> = {
  slot_query: "Slots offered",
  booking_request: "Request",
  calcom_call: "Cal.com call",
  circuit: "Circuit",
  manual_queue: "Manual queue",
  notification: "Notification",
  webhook: "Webhook",
  appointment_change: "Change",
  uid_change: "Reschedule",
  watchdog: "Watchdog",
  reconcile: "Reconciliation",
  audit: "Audit",
};
const TONE: Record<TimelineEvent["tone"], Tone> = { ok: "green", info: "gray", warn: "amber", error: "red" };

export function TimelineView({ timelineKey, initial }: { timelineKey: string; initial: Timeline }) {
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const query = useQuery({
    queryKey: queryKeys.timeline(timelineKey),
    queryFn: () => fetchJson<Timeline>(`/api/admin/calcom/appointments/${encodeURIComponent(timelineKey)}/timeline`),
    initialData: initial,
    refetchInterval: 15_000,
  });
  const t = query.data;
  const s = t.subject;
  const kinds = [...new Set(t.events.map((e) => e.kind))];
  const events = t.events.filter((e) => !hidden.has(e.kind));
  const toggle = (kind: string) =>
    setHidden((h) => (h.has(kind) ? new Set([...h].filter((k) => k !== kind)) : new Set([...h, kind])));
  return (
    <div className="space-y-4">
      <Card title="Booking">
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="text-slate-500">Company</dt>
          <dd>{s.companyName ?? "unknown"}</dd>
          <dt className="text-slate-500">Service</dt>
          <dd>{s.serviceName ?? "n/a"}</dd>
          <dt className="text-slate-500">Status</dt>
          <dd>
            {s.status ?? "no local appointment"}
            {s.startsAt ? `, starts ${new Date(s.startsAt).toLocaleString()}` : ""}
          </dd>
          <dt className="text-slate-500">Idempotency key</dt>
          <dd className="font-mono text-xs">{s.idempotencyKey ?? "none"}</dd>
          <dt className="text-slate-500">Booking uids</dt>
          <dd className="font-mono text-xs" data-testid="uid-chain">
            {s.uids.join(" → ") || "none"}
          </dd>
        </dl>
      </Card>
      <Card title={`Timeline (${events.length} of ${t.events.length} events)`}>
        <fieldset className="mb-3 flex flex-wrap gap-3 text-sm" aria-label="Show event kinds">
          {kinds.map((k) => (
            <label key={k} className="flex items-center gap-1">
              <input type="checkbox" checked={!hidden.has(k)} onChange={() => toggle(k)} /> {KIND_LABEL[k]}
            </label>
          ))}
        </fieldset>
        {events.length === 0 ? (
          <p className="text-sm text-slate-500">Nothing recorded.</p>
        ) : (
          <ol className="space-y-2" aria-label="Timeline events">
            {events.map((e, i) => (
              <li
                key={`${e.kind}-${e.ref?.id ?? i}-${i}`}
                className="grid gap-x-3 text-sm sm:grid-cols-[11rem_8rem_1fr]"
              >
                <time className="font-mono text-xs text-slate-500" dateTime={e.at}>
                  {new Date(e.at).toLocaleString()}
                </time>
                <span>
                  <Badge tone={TONE[e.tone]}>{KIND_LABEL[e.kind]}</Badge>
                </span>
                <div>
                  <div className="font-medium text-slate-800">{e.title}</div>
                  {e.detail && <div className="break-words text-slate-600">{e.detail}</div>}
                </div>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}
