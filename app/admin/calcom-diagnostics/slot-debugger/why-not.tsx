"use client";

import { useMemo } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { explainFromContext, localToInstant, type DebugResult } from "@/lib/slots/context";
import { addDaysToKey, describeSchedule } from "@/lib/slots/schedule";

function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < 31; d = addDaysToKey(d, 1)) out.push(d);
  return out;
}

/** "Why not HH:MM?": the reason engine runs here on the context the debug loaded, so any time answers at once. */
export function WhyNot({ result, at, onChange }: { result: DebugResult; at: string; onChange: (at: string) => void }) {
  const [day, time] = at ? at.split("T") : [result.range.from, ""];
  const answer = useMemo(() => {
    if (!time || !/^\d{2}:\d{2}$/.test(time)) return null;
    return explainFromContext(
      result.context,
      localToInstant(`${day}T${time}`, result.timeZone),
      result.slots.map((s) => s.start),
    );
  }, [result, day, time]);
  const ctx = result.context;
  const et = ctx.eventType;
  return (
    <Card title="Why not this time?">
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Day">
          <Select value={day} onChange={(e) => onChange(time ? `${e.target.value}T${time}` : "")}>
            {daysOf(result.range.from, result.range.to).map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Why not" hint={`HH:MM in ${result.timeZone}`}>
          <Input
            type="time"
            value={time ?? ""}
            onChange={(e) => onChange(e.target.value ? `${day}T${e.target.value}` : "")}
          />
        </Field>
      </div>
      {answer && (
        <div className="mt-3 text-sm" data-testid="why-answer">
          <p className="font-medium">
            {answer.local} ({new Date(answer.at).toISOString().slice(11, 16)} UTC):{" "}
            {answer.isOffered ? <Badge tone="green">offered by Cal.com</Badge> : <Badge tone="red">not offered</Badge>}
          </p>
          {answer.reasons.length > 0 && (
            <ol aria-label="Reasons" className="mt-2 list-decimal space-y-1 pl-5">
              {answer.reasons.map((r) => (
                <li key={r.code} data-code={r.code}>
                  <span className="font-medium">{r.title}</span>: {r.detail}
                </li>
              ))}
            </ol>
          )}
          {answer.isUnexplained && (
            <p className="mt-2 text-amber-700">
              No known rule explains it: check the hosts&apos; connected calendars (external busy times), booking limits
              and host assignment in Cal.com.
            </p>
          )}
          {answer.isOffered && answer.reasons.length === 0 && (
            <p className="mt-2 text-emerald-700">Nothing stands against this time.</p>
          )}
        </div>
      )}
      <dl className="mt-4 grid gap-x-4 gap-y-1 text-xs text-slate-600 md:grid-cols-2">
        <div>
          <dt className="inline font-medium">Event type: </dt>
          <dd className="inline">
            {et
              ? `${et.lengthInMinutes} min, notice ${et.minimumBookingNotice} min, buffers ${et.beforeEventBuffer}/${et.afterEventBuffer} min, grid ${et.slotInterval ?? et.lengthInMinutes} min${et.hidden ? ", hidden" : ""}${et.bookingWindow ? `, window ${JSON.stringify(et.bookingWindow)}` : ""}`
              : "not loaded"}
          </dd>
        </div>
        <div>
          <dt className="inline font-medium">Schedule: </dt>
          <dd className="inline">{ctx.schedule ? describeSchedule(ctx.schedule) : "not loaded"}</dd>
        </div>
        <div>
          <dt className="inline font-medium">Bookings nearby: </dt>
          <dd className="inline">{ctx.bookings.filter((b) => b.status !== "cancelled").length}</dd>
        </div>
        <div>
          <dt className="inline font-medium">Circuit: </dt>
          <dd className="inline">
            {ctx.circuitState ?? "unknown"}
            {ctx.serviceActive === false ? " · service inactive" : ""}
          </dd>
        </div>
      </dl>
      {ctx.warnings.map((w) => (
        <p key={w} className="mt-1 text-xs text-amber-700">
          {w}
        </p>
      ))}
    </Card>
  );
}
