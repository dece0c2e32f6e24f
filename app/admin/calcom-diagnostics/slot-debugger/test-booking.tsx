"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useToast } from "@/components/ui/toaster";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ActionForm } from "@/components/ui/form";
import { Field, Input } from "@/components/ui/field";
import type { DebugResult, DebugSlot } from "@/lib/slots/context";
import { bookSlot, cancelUid } from "./booking-api";
import { EndToEndTest } from "./end-to-end-test";
import { TimelineLink } from "../appointments/timeline-link";
import { UidChain } from "../uid-chain";

function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-xs text-slate-500">{label}</summary>
      <pre className="max-h-64 overflow-auto rounded bg-slate-950 p-2 text-xs text-slate-100">
        {JSON.stringify(value, null, 2)}
      </pre>
    </details>
  );
}

/** Book the picked slot the way production does (service id, attendee, idempotency key), then cancel it by uid. */
export function TestBooking({
  result,
  slot,
  onChanged,
}: {
  result: DebugResult;
  slot: DebugSlot | null;
  onChanged: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("Slot Debugger Test");
  const [email, setEmail] = useState("slot-debugger@example.com");
  const [phone, setPhone] = useState("");
  const [uid, setUid] = useState("");
  // One idempotency key per attempt: a second click while the first is on its way gets the same booking back,
  // never a second one; a new key only after an answer.
  const [attemptKey, setAttemptKey] = useState(() => crypto.randomUUID());
  const inFlight = useRef(false);
  const toast = useToast();
  const book = useMutation({
    mutationFn: () => bookSlot(result, slot!.start, { name, email, ...(phone ? { phone } : {}) }, attemptKey),
    onSettled: () => {
      inFlight.current = false;
      setAttemptKey(crypto.randomUUID());
    },
    onSuccess: (r) => {
      toast(
        r.outcome === "booked"
          ? `Booked ${slot?.localDate} ${slot?.localTime} in Cal.com (uid ${r.uid}); the slots were asked again.`
          : `Not booked in Cal.com: ${r.outcome}. See the result below.`,
        r.outcome === "booked" ? "success" : "info",
      );
      if (r.uid) setUid(r.uid);
      void queryClient.invalidateQueries({ queryKey: ["appointments"] });
      onChanged();
    },
  });
  const cancel = useMutation({
    mutationFn: () => cancelUid(result.companyId, uid.trim()),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["appointments"] });
      onChanged();
    },
  });
  const b = book.data;
  return (
    <Card title="Test booking">
      {!result.service && (
        <p className="mb-2 text-sm text-amber-700">
          No local service uses event type {result.eventTypeId}: pick a service to book the way production does.
        </p>
      )}
      <div className="grid gap-4 xl:grid-cols-2">
        <ActionForm
          label="Test booking"
          className="space-y-2"
          onSubmit={() => {
            if (inFlight.current) return;
            inFlight.current = true;
            book.mutate();
          }}
        >
          <p className="text-sm">
            {slot ? (
              <>
                Slot:{" "}
                <span className="font-medium">
                  {slot.localDate} {slot.localTime}
                </span>{" "}
                ({slot.utcTime} UTC)
              </>
            ) : (
              "Pick a slot above."
            )}
          </p>
          <Field label="Attendee name">
            <Input value={name} onChange={(e) => setName(e.target.value)} required />
          </Field>
          <Field label="Attendee email">
            <Input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <Field label="Attendee phone" hint="Optional, with country code: +4930123456">
            <Input value={phone} onChange={(e) => setPhone(e.target.value)} />
          </Field>
          <Button type="submit" disabled={!slot || !result.service || book.isPending}>
            {book.isPending ? "Booking…" : "Book this slot"}
          </Button>
          {book.error && (
            <p className="text-sm text-red-600" data-testid="book-error">
              {book.error.message}
            </p>
          )}
        </ActionForm>
        <div className="space-y-3 text-sm">
          {b && (
            <section aria-label="Booking result" className="space-y-1">
              <p>
                <Badge tone={b.outcome === "booked" ? "green" : b.outcome === "manual" ? "amber" : "blue"}>
                  {b.outcome}
                </Badge>{" "}
                Cal.com uid{" "}
                <span className="font-mono" data-testid="booked-uid">
                  {b.uid ?? "none"}
                </span>
                , id {b.calcomBookingId ?? "none"}, status {b.booking?.status ?? "n/a"}
              </p>
              <p>
                Local appointment #{b.appointment.id}: {b.appointment.status}, sync {b.appointment.syncStatus}, service{" "}
                {b.service.name} (event type {b.service.eventTypeId}) <TimelineLink appointmentId={b.appointment.id} />
                <UidChain
                  previousUids={b.appointment.previousUids}
                  rescheduledFromUid={b.appointment.rescheduledFromUid}
                />
              </p>
              {b.manualBooking && <p className="text-amber-700">Queued for manual booking: {b.manualBooking.reason}</p>}
              <Json label="Cal.com request and answer" value={b.calcom} />
            </section>
          )}
          <ActionForm label="Cancel by uid" className="flex flex-wrap items-end gap-2" onSubmit={() => cancel.mutate()}>
            <Field label="Booking uid" hint="The string uid; a numeric id is refused (the cancellation incident)">
              <Input value={uid} onChange={(e) => setUid(e.target.value)} className="font-mono" />
            </Field>
            <Button type="submit" variant="danger" disabled={!uid.trim() || cancel.isPending}>
              {cancel.isPending ? "Cancelling…" : "Cancel by uid"}
            </Button>
          </ActionForm>
          {cancel.error && (
            <p className="text-red-600" data-testid="cancel-error">
              {cancel.error.message}
            </p>
          )}
          {cancel.data && (
            <section aria-label="Cancel result">
              <p>
                Cal.com booking {cancel.data.uid}: <Badge tone="gray">{cancel.data.booking.status}</Badge>
                {cancel.data.appointment
                  ? ` · local appointment #${cancel.data.appointment.id}: ${cancel.data.appointment.status} `
                  : " · no local appointment"}
                {cancel.data.appointment && (
                  <UidChain
                    previousUids={cancel.data.appointment.previousUids}
                    rescheduledFromUid={cancel.data.appointment.rescheduledFromUid}
                  />
                )}
              </p>
              <Json label="Cal.com request and answer" value={cancel.data.calcom} />
            </section>
          )}
        </div>
      </div>
      <EndToEndTest result={result} onChanged={onChanged} />
    </Card>
  );
}
