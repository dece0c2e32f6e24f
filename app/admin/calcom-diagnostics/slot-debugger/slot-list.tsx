"use client";

import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { DebugResult, DebugSlot } from "@/lib/slots/context";

/** The offered slots by local day: local time and UTC side by side; a slot can be picked for a test booking. */
export function SlotList({
  result,
  picked,
  onPick,
}: {
  result: DebugResult;
  picked: string | null;
  onPick?: (slot: DebugSlot) => void;
}) {
  // Bookings Cal.com already holds at a slot's start: with several hosts the slot stays offered, and says so.
  const bookedAt = new Map<number, number>();
  for (const b of result.context.bookings) {
    if (b.status === "cancelled" || b.status === "rejected") continue;
    const at = new Date(b.start).getTime();
    bookedAt.set(at, (bookedAt.get(at) ?? 0) + 1);
  }
  const days = new Map<string, DebugSlot[]>();
  for (const s of result.slots) days.set(s.localDate, [...(days.get(s.localDate) ?? []), s]);
  const title = (
    <>
      Slots <Badge tone={result.slots.length ? "green" : "amber"}>{result.slots.length}</Badge>{" "}
      <span className="font-normal text-slate-500">
        {result.context.eventTypeTitle ?? `event type ${result.eventTypeId}`} · {result.timeZone}
      </span>
    </>
  );
  return (
    <Card title={title}>
      {result.error && (
        <p className="mb-2 text-sm text-red-700" data-testid="slot-error">
          {result.error.calCode} {result.error.status ?? ""} {result.error.message}. {result.error.hint}
        </p>
      )}
      {!result.error && result.slots.length === 0 && (
        <p className="text-sm text-slate-600">Cal.com offers no slot in this range. Ask “why not” for a time below.</p>
      )}
      <div className="space-y-3" aria-label="Offered slots" role="region">
        {[...days].map(([day, slots]) => (
          <div key={day}>
            <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">{day}</h3>
            <ul className="flex flex-wrap gap-1.5">
              {slots.map((s) => (
                <li key={s.start}>
                  <button
                    type="button"
                    aria-label={`Slot ${s.localDate} ${s.localTime}`}
                    aria-pressed={picked === s.start}
                    disabled={!onPick}
                    onClick={() => onPick?.(s)}
                    className={`rounded border px-2 py-1 text-left text-sm ${picked === s.start ? "border-slate-900 bg-slate-900 text-white" : "border-slate-300 bg-white hover:bg-slate-100"}`}
                    title={s.raw}
                  >
                    <span className="font-medium">{s.localTime}</span>{" "}
                    <span className="text-xs opacity-70">{s.utcTime} UTC</span>
                    {bookedAt.get(new Date(s.start).getTime()) ? (
                      <span className="ml-1 text-xs text-amber-700" data-testid="slot-booked">
                        {bookedAt.get(new Date(s.start).getTime())} booked, another host free
                      </span>
                    ) : null}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </Card>
  );
}
