"use client";

import { Time } from "@/components/ui/time";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Field, Select } from "@/components/ui/field";
import { ActionForm } from "@/components/ui/form";
import { Cell } from "@/components/ui/table";
import { useToast } from "@/components/ui/toaster";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";

export type ReviewItemJson = {
  service: {
    id: number;
    companyId: number;
    name: string;
    calcomEventTypeId: number | null;
    durationMinutes: number;
    isActive: boolean;
  };
  companyName: string;
  state: {
    status: string;
    missCount: number;
    missedRunIds: number[];
    reason: string | null;
    reasonDetails: Record<string, unknown> | null;
    eventTypeId: number | null;
    eventTypeLastSeenAt: string | null;
    reviewCause: string | null;
    reviewSince: string | null;
    snoozedUntil: string | null;
    deactivatedBy: string | null;
  } | null;
  candidates: { eventTypeId: number; title: string }[];
};

type EventTypeJson = {
  eventTypeId: number;
  title: string;
  isPresent: boolean;
  isHidden: boolean;
  lengthInMinutes: number;
};
type Action = "reactivate" | "deactivate" | "relink" | "snooze";

const DONE: Record<Action, (name: string, o: { hours?: number; eventTypeId?: string }) => string> = {
  reactivate: (name) => `${name} reactivated: it left the review queue and is offered again.`,
  deactivate: (name) => `${name} deactivated: it is no longer offered.`,
  relink: (name, o) => `${name} now uses event type ${o.eventTypeId}; it left the review queue.`,
  snooze: (name, o) => `${name} snoozed for ${o.hours} h: it left the review queue until then.`,
};

function StateBadge({ item }: { item: ReviewItemJson }) {
  const s = item.state;
  if (!item.service.isActive)
    return <Badge tone="red">inactive{s?.deactivatedBy ? ` (by ${s.deactivatedBy})` : ""}</Badge>;
  if (s?.status === "pending_review")
    return <Badge tone="amber">pending review ({s.reviewCause === "share_guard" ? "share guard" : "3 misses"})</Badge>;
  if (s?.status === "snoozed")
    return (
      <Badge tone="gray">
        snoozed until <Time at={s.snoozedUntil} />
      </Badge>
    );
  if (s?.status === "missing") return <Badge tone="amber">missing {s.missCount} of 3</Badge>;
  return <Badge tone="green">ok</Badge>;
}

export function ReviewRow({
  item,
  canOperate,
  isPicked,
  onPick,
}: {
  item: ReviewItemJson;
  canOperate: boolean;
  isPicked: boolean;
  onPick: () => void;
}) {
  const client = useQueryClient();
  const [open, setOpen] = useState<"relink" | "snooze" | null>(null);
  const [eventTypeId, setEventTypeId] = useState(item.candidates[0]?.eventTypeId.toString() ?? "");
  const [hours, setHours] = useState("24");
  const s = item.service;
  const toast = useToast();
  const act = useMutation({
    mutationFn: ({ action }: { action: Action; reason?: string }) =>
      fetchJson(`/api/admin/calcom/services/${s.id}/${action}`, {
        method: "POST",
        json:
          action === "relink"
            ? { eventTypeId: Number(eventTypeId) }
            : action === "snooze"
              ? { hours: Number(hours) }
              : {},
      }),
    onSuccess: (_data, { action }) => {
      setOpen(null);
      toast(DONE[action](s.name, { hours: Number(hours), eventTypeId }));
      return client.invalidateQueries({ queryKey: ["sync"] });
    },
  });
  const deactivate = useMutation({
    mutationFn: (reason: string) =>
      fetchJson(`/api/admin/calcom/services/${s.id}/deactivate`, { method: "POST", json: { reason } }),
    onSuccess: () => {
      toast(DONE.deactivate(s.name, {}));
      return client.invalidateQueries({ queryKey: ["sync"] });
    },
  });
  const eventTypes = useQuery({
    queryKey: queryKeys.syncEventTypes(s.companyId),
    queryFn: () =>
      fetchJson<{ eventTypes: EventTypeJson[] }>(`/api/admin/calcom/sync/event-types?companyId=${s.companyId}`),
    enabled: open === "relink",
  });
  const st = item.state;
  return (
    <tr className="align-top" aria-label={`Service ${s.name}`}>
      <Cell>
        {canOperate && <input type="checkbox" checked={isPicked} onChange={onPick} aria-label={`Select ${s.name}`} />}
      </Cell>
      <Cell>
        <div className="font-medium">{s.name}</div>
        <div className="text-xs text-slate-500">
          {item.companyName} · event type {s.calcomEventTypeId ?? "none"} · {s.durationMinutes} min
        </div>
      </Cell>
      <Cell>
        <StateBadge item={item} />
      </Cell>
      <Cell className="text-xs text-slate-600">
        {st?.reason ? (
          <ul className="space-y-0.5">
            <li>
              Why: {st.reason.replaceAll("_", " ")}
              {st.reasonDetails?.teamId ? ` (now in team ${String(st.reasonDetails.teamId)})` : ""}
            </li>
            <li>
              Event type last seen: <Time at={st.eventTypeLastSeenAt} />
            </li>
            {st.missedRunIds.length > 0 && <li>Missed in runs: {st.missedRunIds.map((id) => `#${id}`).join(", ")}</li>}
            {st.reviewSince && (
              <li>
                In review since <Time at={st.reviewSince} />
              </li>
            )}
            {item.candidates.length > 0 && (
              <li>Same name in Cal.com: {item.candidates.map((c) => `${c.title} (${c.eventTypeId})`).join(", ")}</li>
            )}
          </ul>
        ) : (
          <span className="text-slate-400">none</span>
        )}
      </Cell>
      <Cell>
        {canOperate && (
          <div className="flex flex-wrap gap-1">
            {!s.isActive || st?.status === "pending_review" ? (
              <Button
                className="px-2 py-0.5 text-xs"
                disabled={act.isPending}
                onClick={() => act.mutate({ action: "reactivate" })}
                aria-label={`Reactivate ${s.name}`}
              >
                Reactivate
              </Button>
            ) : null}
            {s.isActive && (
              <ConfirmAction
                label="Deactivate…"
                ariaLabel={`Deactivate ${s.name}`}
                buttonClassName="px-2 py-0.5 text-xs"
                title={`Deactivate ${s.name}?`}
                description={`The phone agents stop offering and booking ${s.name} for ${item.companyName} until someone reactivates it. Appointments already booked stay.`}
                confirmLabel="Deactivate the service"
                disabled={act.isPending}
                onConfirm={(reason) => deactivate.mutateAsync(reason)}
              />
            )}
            <Button
              variant="secondary"
              className="px-2 py-0.5 text-xs"
              onClick={() => setOpen(open === "relink" ? null : "relink")}
              aria-label={`Relink ${s.name}`}
            >
              Relink…
            </Button>
            {s.isActive && (
              <Button
                variant="secondary"
                className="px-2 py-0.5 text-xs"
                onClick={() => setOpen(open === "snooze" ? null : "snooze")}
                aria-label={`Snooze ${s.name}`}
              >
                Snooze…
              </Button>
            )}
          </div>
        )}
        {open && (
          <ActionForm
            label={`${open === "relink" ? "Relink" : "Snooze"} ${s.name}`}
            className="mt-2 space-y-2 rounded-md border border-slate-200 bg-slate-50 p-2"
            onSubmit={() => act.mutate({ action: open })}
          >
            {open === "relink" ? (
              <Field label="Event type">
                <Select value={eventTypeId} onChange={(e) => setEventTypeId(e.target.value)} required>
                  <option value="">Choose…</option>
                  {(eventTypes.data?.eventTypes ?? [])
                    .filter((et) => et.isPresent && et.eventTypeId !== s.calcomEventTypeId)
                    .map((et) => (
                      <option key={et.eventTypeId} value={et.eventTypeId}>
                        {et.title} ({et.eventTypeId}, {et.lengthInMinutes} min{et.isHidden ? ", hidden" : ""})
                      </option>
                    ))}
                </Select>
              </Field>
            ) : (
              <Field label="Snooze for">
                <Select value={hours} onChange={(e) => setHours(e.target.value)}>
                  <option value="24">1 day</option>
                  <option value="72">3 days</option>
                  <option value="168">7 days</option>
                  <option value="720">30 days</option>
                </Select>
              </Field>
            )}
            <Button type="submit" className="px-2 py-0.5 text-xs" disabled={act.isPending}>
              {open === "relink" ? "Confirm relink" : "Confirm snooze"}
            </Button>
          </ActionForm>
        )}
        {(act.error ?? deactivate.error) && (
          <p className="mt-1 text-xs text-red-600">{(act.error ?? deactivate.error)?.message}</p>
        )}
      </Cell>
    </tr>
  );
}
