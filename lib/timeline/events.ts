import type { Appointment } from "@/drizzle/schema/core";
import type { TimelineSources } from "./load";

/** One line of the booking timeline. `ref` names the record it comes from, so the page can link to its panel. */
export type TimelineEvent = {
  at: string;
  kind:
    | "booking_request"
    | "slot_query"
    | "calcom_call"
    | "circuit"
    | "manual_queue"
    | "notification"
    | "webhook"
    | "appointment_change"
    | "uid_change"
    | "watchdog"
    | "reconcile"
    | "audit";
  title: string;
  detail?: string;
  tone: "ok" | "info" | "warn" | "error";
  ref?: { type: string; id: string | number };
  data?: Record<string, unknown>;
};

const iso = (d: Date | string) => new Date(d).toISOString();

export function buildEvents(appt: Appointment | null, s: TimelineSources): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const q of s.offered) {
    const failed = q.calCode !== null || q.slots === null;
    events.push({
      at: iso(q.at),
      kind: "slot_query",
      title: failed
        ? `Slot query failed (${q.calCode ?? q.httpStatus ?? "error"})`
        : `Offered ${q.slotCount} slot(s) via ${q.source}`,
      detail: q.slots?.slice(0, 8).join(", "),
      tone: failed ? "warn" : "info",
      ref: { type: "slot_query", id: q.id },
      data: {
        eventTypeId: q.eventTypeId,
        rangeStart: iso(q.rangeStart),
        rangeEnd: iso(q.rangeEnd),
        requestedStart: q.requestedStart ? iso(q.requestedStart) : null,
        reasonCodes: q.reasonCodes,
        durationMs: q.durationMs,
      },
    });
  }
  if (appt) {
    events.push({
      at: iso(appt.createdAt),
      kind: "booking_request",
      title: `Booking requested for ${iso(appt.startsAt)}`,
      detail: `Idempotency key ${appt.idempotencyKey ?? "(none: created from Cal.com)"}`,
      tone: "info",
      ref: { type: "appointment", id: appt.id },
      data: {
        idempotencyKey: appt.idempotencyKey,
        eventTypeId: appt.calcomEventTypeId,
        serviceId: appt.serviceId,
        timeZone: appt.timeZone,
        attendeeName: appt.attendeeName,
        attendeeEmail: appt.attendeeEmail,
        attendeePhone: appt.attendeePhone,
      },
    });
  }
  for (const c of s.calls) {
    const ok = c.calCode === null;
    // api_calls.at is when the answer was logged; the call started durationMs earlier (a webhook may arrive in between).
    events.push({
      at: iso(new Date(c.at.getTime() - c.durationMs)),
      kind: "calcom_call",
      title: `${c.method} ${c.pathTemplate} → ${c.status ?? "no answer"}${c.calCode ? ` ${c.calCode}` : ""}${c.isCacheHit ? " (cache)" : ""}`,
      detail: `${c.durationMs} ms, breaker ${c.breakerState}${c.attempts > 1 ? `, ${c.attempts} attempts` : ""}${c.error ? `: ${c.error}` : ""}`,
      tone: ok ? "ok" : c.calCode === "CAL-013" || c.calCode === "CAL-012" ? "error" : "warn",
      ref: { type: "api_call", id: c.id },
      data: {
        family: c.family,
        status: c.status,
        durationMs: c.durationMs,
        breakerState: c.breakerState,
        calCode: c.calCode,
        correlation: c.correlation,
      },
    });
  }
  for (const e of s.circuit) {
    events.push({
      at: iso(e.at),
      kind: "circuit",
      title: `Circuit ${e.fromState} → ${e.toState}`,
      detail: e.reason,
      tone: e.toState === "open" ? "error" : e.toState === "closed" ? "ok" : "warn",
      ref: { type: "circuit_event", id: e.id },
    });
  }
  const m = s.manual;
  if (m) {
    // The manual entry's milestones, in this order; one that has not happened (no time) is left out.
    const milestones: { at: Date | null; title: string; detail?: string; tone: TimelineEvent["tone"] }[] = [
      { at: m.createdAt, title: `Queued for manual booking (${m.reasonCode})`, detail: m.reason, tone: "warn" },
      { at: m.claimedAt, title: "Claimed by staff", detail: m.claimedByLabel ?? undefined, tone: "info" },
      {
        at: m.lastError ? m.lastAttemptAt : null,
        title: `Recovery attempt ${m.attempts} failed`,
        detail: m.lastError ?? undefined,
        tone: "warn",
      },
      {
        at: m.resolvedAt,
        title: `Manual queue entry ${m.state}`,
        detail: [m.resolution, m.resolvedByLabel && `by ${m.resolvedByLabel}`].filter(Boolean).join(" "),
        tone: m.state === "booked" ? "ok" : "warn",
      },
      {
        at: m.conflictReason ? m.updatedAt : null,
        title: "Needs a person",
        detail: m.conflictReason ?? undefined,
        tone: "error",
      },
    ];
    for (const { at, ...event } of milestones)
      if (at) events.push({ at: iso(at), kind: "manual_queue", ...event, ref: { type: "manual_booking", id: m.id } });
  }
  for (const n of s.notifications) {
    events.push({
      at: iso(n.sentAt ?? n.createdAt),
      kind: "notification",
      title: `Staff ${n.channel} ${n.state === "sent" ? "sent" : n.state}: ${n.subject}`,
      detail: n.lastError ?? undefined,
      tone: n.state === "dead" ? "error" : "info",
      ref: { type: "outbox_message", id: n.id },
    });
  }
  for (const d of s.deliveries) {
    const rejected = d.status === "rejected";
    events.push({
      at: iso(d.receivedAt),
      kind: "webhook",
      title: `Webhook ${d.triggerEvent ?? "(unknown trigger)"}: ${d.verdict}, ${d.status}`,
      detail: d.outcome ?? d.verdictDetail,
      tone:
        rejected || d.status === "failed"
          ? "error"
          : d.status === "duplicate" || d.status === "ignored"
            ? "info"
            : "ok",
      ref: { type: "webhook_delivery", id: d.id },
      data: {
        bookingUid: d.bookingUid,
        responseStatus: d.responseStatus,
        attempts: d.attempts,
        duplicateOfId: d.duplicateOfId,
      },
    });
  }
  for (const c of s.changes) {
    events.push({
      at: iso(c.at),
      kind: "appointment_change",
      title: `Appointment changed by webhook: ${c.change}`,
      tone: "info",
      ref: { type: "webhook_delivery", id: c.deliveryId },
      data: { bookingUid: c.bookingUid, before: c.before, after: c.after },
    });
  }
  for (const h of s.history) {
    events.push({
      at: iso(h.at),
      kind: "uid_change",
      title: `Rescheduled: ${h.fromUid} → ${h.toUid}`,
      detail: `${iso(h.fromStartsAt)} → ${iso(h.toStartsAt)}${h.reason ? ` (${h.reason})` : ""}`,
      tone: "info",
    });
  }
  for (const e of s.expectations) {
    const label = {
      pending: "waiting",
      met: "arrived",
      missed: "MISSED",
      wrong_trigger: "came with another trigger",
      unexpected: "unexpected change (not made by us)",
    }[e.status];
    const tone =
      e.status === "met" ? "ok" : e.status === "pending" ? "info" : e.status === "unexpected" ? "warn" : "error";
    events.push({
      at: iso(e.metAt && e.status !== "missed" ? e.metAt : e.status === "missed" ? e.deadlineAt : e.createdAt),
      kind: "watchdog",
      title: `Expected webhook for our ${e.action}: ${label}`,
      detail: `${e.triggers.join(" or ") || e.actualTrigger} for ${e.bookingUid}, deadline ${iso(e.deadlineAt)}`,
      tone,
      ref: { type: "webhook_expectation", id: e.id },
    });
  }
  for (const f of s.findings) {
    events.push({
      at: iso(f.createdAt),
      kind: "reconcile",
      title: `Reconciliation: ${f.class.replaceAll("_", " ")} (${f.status})`,
      detail:
        f.diff.map((d) => `${d.field}: ours ${String(d.local)}, Cal.com ${String(d.calcom)}`).join("; ") || undefined,
      tone: f.status === "open" ? "warn" : "info",
      ref: { type: "reconcile_item", id: f.id },
      data: { runId: f.runId, fix: f.fix },
    });
  }
  for (const a of s.audit) {
    events.push({
      at: iso(a.at),
      kind: "audit",
      title: `${a.action} by ${a.actorLabel}`,
      detail: a.reason ?? undefined,
      tone: "info",
      ref: { type: "audit", id: a.id },
      data: a.details ?? undefined,
    });
  }
  return events.sort((x, y) => x.at.localeCompare(y.at));
}
