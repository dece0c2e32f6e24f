"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { ActionForm } from "@/components/ui/form";
import { Cell } from "@/components/ui/table";
import { useToast } from "@/components/ui/toaster";
import type { ManualQueueItem } from "@/lib/booking/manual-queue";
import { fetchJson } from "@/lib/client/fetch-json";
import type { Jsonify } from "@/lib/client/json";
import { Time } from "@/components/ui/time";
import { formatAge } from "./format";
import { TimelineLink } from "../appointments/timeline-link";

/** One row of GET /api/admin/calcom/manual-bookings, typed from lib. */
export type ManualItem = Jsonify<ManualQueueItem>;

const STATE_TONE: Record<ManualItem["state"], Tone> = {
  open: "amber",
  claimed: "blue",
  conflict: "red",
  booked: "green",
  cancelled: "gray",
};
type Form = "resolve" | "cancel" | null;

const DONE: Record<string, string> = {
  claim: "claimed by you; it stays in the queue",
  retry: "tried again in Cal.com",
  resolve: "marked booked by hand; it left the open queue",
  cancel: "cancelled; it left the open queue",
};

export function ManualRow({ item, canOperate }: { item: ManualItem; canOperate: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState<Form>(null);
  const [text, setText] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const act = useMutation({
    mutationFn: ({ action, json }: { action: string; json?: unknown }) =>
      fetchJson<{ message?: string; outcome?: string }>(`/api/admin/calcom/manual-bookings/${item.id}/${action}`, {
        method: "POST",
        json: json ?? {},
      }),
    onSuccess: (data, { action }) => {
      setForm(null);
      setText("");
      setMessage(data.outcome ? `${data.outcome.replace("_", " ")}: ${data.message ?? ""}` : null);
      // The row may leave the list (booked, cancelled): say where it went, in a toast that outlives the row.
      toast(
        `${who}: ${DONE[action] ?? action}${data.outcome ? ` (${data.outcome.replace("_", " ")}${data.message ? `: ${data.message}` : ""})` : ""}.`,
        data.outcome === "conflict" ? "error" : "success",
      );
      return client.invalidateQueries({ queryKey: ["bookings"] });
    },
  });
  const who = `Manual booking ${item.id} (${item.appointment.attendee.name ?? "caller"})`;
  const isActive = item.state === "open" || item.state === "claimed" || item.state === "conflict";
  const label = `manual booking ${item.id}`;
  return (
    <>
      <tr className="align-top" data-testid={`manual-booking-${item.id}`}>
        <Cell className="font-mono text-xs">{item.id}</Cell>
        <Cell className="whitespace-nowrap">
          <span title="Waiting for">{formatAge(item.ageSeconds)}</span>
        </Cell>
        <Cell className="whitespace-nowrap">
          <Time at={item.appointment.startsAt} />
          <div className="text-xs text-slate-500">{item.companyName}</div>
        </Cell>
        <Cell>{item.serviceName ?? "-"}</Cell>
        <Cell>
          {item.appointment.attendee.name}
          <div className="text-xs text-slate-500">
            {[item.appointment.attendee.email, item.appointment.attendee.phone].filter(Boolean).join(" · ")}
          </div>
        </Cell>
        <Cell className="max-w-xs text-xs">
          <Badge tone="gray">{item.reasonCode.replace("_", " ")}</Badge> {item.reason}
          {item.conflictReason && <div className="mt-1 text-red-700">Needs a person: {item.conflictReason}</div>}
          {item.lastError && !item.conflictReason && (
            <div className="mt-1 text-slate-500">Last try: {item.lastError}</div>
          )}
        </Cell>
        <Cell>
          <Badge tone={STATE_TONE[item.state]}>{item.state}</Badge>
          {item.claimedBy && <div className="text-xs text-slate-500">by {item.claimedBy}</div>}
          {item.appointment.calcomBookingUid && (
            <div className="font-mono text-xs text-slate-500">{item.appointment.calcomBookingUid}</div>
          )}
          <TimelineLink appointmentId={item.appointment.id} />
        </Cell>
        <Cell>
          {canOperate && isActive && (
            <div className="flex flex-wrap gap-1">
              {item.state !== "claimed" && (
                <Button
                  variant="secondary"
                  aria-label={`Claim ${label}`}
                  disabled={act.isPending}
                  onClick={() => act.mutate({ action: "claim" })}
                >
                  Claim
                </Button>
              )}
              <Button
                variant="secondary"
                aria-label={`Retry ${label} now`}
                disabled={act.isPending || form !== null}
                onClick={() => act.mutate({ action: "retry" })}
              >
                Retry now
              </Button>
              <Button
                variant="secondary"
                aria-label={`Mark ${label} booked by hand`}
                onClick={() => setForm(form === "resolve" ? null : "resolve")}
              >
                Mark booked…
              </Button>
              <Button
                variant="secondary"
                aria-label={`Cancel ${label}`}
                onClick={() => setForm(form === "cancel" ? null : "cancel")}
              >
                Cancel…
              </Button>
            </div>
          )}
          {message && (
            <p className="mt-1 text-xs text-slate-600" role="status">
              {message}
            </p>
          )}
          {act.error && <p className="mt-1 text-xs text-red-600">{act.error.message}</p>}
        </Cell>
      </tr>
      {form && (
        <tr>
          <Cell colSpan={8}>
            <ActionForm
              label={form === "resolve" ? `Mark ${label} booked` : `Cancel ${label}`}
              className="flex items-end gap-2 rounded-md border border-slate-200 bg-slate-50 p-3"
              onSubmit={() =>
                act.mutate(
                  form === "resolve"
                    ? { action: "resolve", json: { calcomUid: text } }
                    : { action: "cancel", json: { reason: text } },
                )
              }
            >
              <div className="flex-1">
                {form === "resolve" ? (
                  <Field
                    label="Cal.com booking uid"
                    hint="The uid of the booking made by hand in Cal.com (not the numeric id)."
                  >
                    <Input value={text} onChange={(e) => setText(e.target.value)} required minLength={6} />
                  </Field>
                ) : (
                  <Field label="Cancellation reason" hint="Recorded in the audit log.">
                    <Input value={text} onChange={(e) => setText(e.target.value)} required minLength={3} />
                  </Field>
                )}
              </div>
              <Button type="submit" variant={form === "cancel" ? "danger" : "primary"} disabled={act.isPending}>
                {form === "resolve" ? "Confirm booked" : "Confirm cancel"}
              </Button>
            </ActionForm>
          </Cell>
        </tr>
      )}
    </>
  );
}
