"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Time } from "@/components/ui/time";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Cell } from "@/components/ui/table";
import type { ReconcileFix } from "@/drizzle/schema/reconcile";
import { fetchJson } from "@/lib/client/fetch-json";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { useToast } from "@/components/ui/toaster";
import { ALLOWED_FIXES, CLASS_LABELS } from "@/lib/reconcile/fix-rules";
import { fixConsequence, fixLabel, needsConfirmation } from "./fix-labels";
import type { ItemJson } from "./types";
import { TimelineLink } from "../appointments/timeline-link";

const STATE_TONE: Record<ItemJson["status"], Tone> = { open: "amber", fixed: "green", ignored: "gray", failed: "red" };
function Show({ v }: { v: unknown }) {
  if (v === null || v === undefined) return <>none</>;
  return typeof v === "string" && /^\d{4}-\d\d-\d\dT/.test(v) ? <Time at={v} /> : <>{String(v)}</>;
}

function Diff({ item }: { item: ItemJson }) {
  if (item.related?.bookings) {
    return (
      <ul className="text-xs">
        {item.related.bookings.map((b) => (
          <li key={b.uid}>
            <span className="font-mono">{b.uid}</span> {b.status} <Show v={b.start} />{" "}
            {b.linkedAppointmentId ? `(appointment ${b.linkedAppointmentId})` : "(not linked)"}
          </li>
        ))}
      </ul>
    );
  }
  if (item.related?.appointments) {
    return (
      <ul className="text-xs">
        {item.related.appointments.map((a) => (
          <li key={a.id}>
            #{a.id} {a.status} <Show v={a.startsAt} /> {a.attendeeEmail ?? ""}{" "}
            {a.bookingUid ? <span className="font-mono">({a.bookingUid})</span> : "(no booking)"}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs">
      {item.diff.map((d) => (
        <div key={d.field} className="contents">
          <dt className="font-medium">{d.field}</dt>
          <dd>
            ours{" "}
            <span className="font-mono">
              <Show v={d.local} />
            </span>{" "}
            · Cal.com{" "}
            <span className="font-mono">
              <Show v={d.calcom} />
            </span>
            {d.expected !== undefined && (
              <span className="text-slate-500">
                {" "}
                (expected <Show v={d.expected} />)
              </span>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function ItemRow({ item, canOperate }: { item: ItemJson; canOperate: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const fix = useMutation({
    mutationFn: ({ fix: f, reason }: { fix: ReconcileFix; reason?: string }) =>
      fetchJson<{ item: ItemJson }>(`/api/admin/calcom/reconcile/items/${item.id}/fix`, {
        method: "POST",
        json: { fix: f, reason },
      }),
    onSuccess: (data, { fix: f }) => {
      const failed = data.item.status === "failed";
      toast(
        failed
          ? `Item ${item.id}: ${fixLabel(item.class, f)} failed: ${data.item.error ?? "see the row"}.`
          : `Item ${item.id}: ${fixLabel(item.class, f)} done; it moved to "${data.item.status}" (filter Status: all to see it).`,
        failed ? "error" : "success",
      );
    },
    onSettled: () => client.invalidateQueries({ queryKey: ["reconcile"] }),
  });
  const isActionable = item.status === "open" || item.status === "failed";
  const fixes = ALLOWED_FIXES[item.class].filter(
    (f) => f !== "link" || item.related?.candidateAppointmentId || item.related?.candidateBookingUid,
  );
  const who = item.local ?? item.related?.appointments?.[0];
  return (
    <tr
      className="align-top"
      data-testid={`reconcile-item-${item.id}`}
      aria-label={`${CLASS_LABELS[item.class]} item ${item.id}`}
    >
      <Cell>{CLASS_LABELS[item.class]}</Cell>
      <Cell className="text-xs">
        {item.appointmentId ? `#${item.appointmentId}` : "none"}{" "}
        <TimelineLink appointmentId={item.appointmentId} uid={item.bookingUid} />
        {who && <div className="text-slate-500">{who.attendeeEmail ?? who.attendeeName ?? ""}</div>}
      </Cell>
      <Cell className="font-mono text-xs">{item.bookingUid ?? "none"}</Cell>
      <Cell>
        <Diff item={item} />
      </Cell>
      <Cell>
        <Badge tone={STATE_TONE[item.status]}>{item.status}</Badge>
        {item.fix && (
          <div className="text-xs text-slate-500">
            {fixLabel(item.class, item.fix)} by {item.resolvedBy}
          </div>
        )}
        {item.error && <div className="text-xs text-red-600">{item.error}</div>}
      </Cell>
      {canOperate && (
        <Cell>
          {isActionable && (
            <div className="flex flex-wrap gap-1">
              {fixes.map((f) =>
                needsConfirmation(item.class, f) ? (
                  <ConfirmAction
                    key={f}
                    label={`${fixLabel(item.class, f)}…`}
                    ariaLabel={`${fixLabel(item.class, f)} (item ${item.id})`}
                    buttonClassName="px-2 py-0.5 text-xs"
                    title={`${fixLabel(item.class, f)}?`}
                    description={fixConsequence(item.class, f)}
                    confirmLabel={fixLabel(item.class, f)}
                    disabled={fix.isPending}
                    onConfirm={(reason) => fix.mutateAsync({ fix: f, reason })}
                  />
                ) : (
                  <Button
                    key={f}
                    variant="secondary"
                    className="px-2 py-0.5 text-xs"
                    disabled={fix.isPending}
                    onClick={() => fix.mutate({ fix: f })}
                    aria-label={`${fixLabel(item.class, f)} (item ${item.id})`}
                  >
                    {fixLabel(item.class, f)}
                  </Button>
                ),
              )}
            </div>
          )}
          {fix.error && <div className="text-xs text-red-600">{fix.error.message}</div>}
        </Cell>
      )}
    </tr>
  );
}
