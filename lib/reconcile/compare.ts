import type { AppointmentStatus } from "@/drizzle/schema/core";
import type { LocalSnapshot, ReconcileClass, ReconcileDiff, RemoteSnapshot } from "@/drizzle/schema/reconcile";
import { isStatusConsistent, LOCAL_TO_API, parseApiStatus } from "./status-map";

/** Pure comparison of one linked pair (appointment ↔ booking with the same uid). */

export type LocalRow = {
  id: number;
  status: AppointmentStatus;
  startsAt: Date;
  endsAt: Date;
  calcomEventTypeId: number | null;
  calcomBookingUid: string | null;
  attendeeName: string | null;
  attendeeEmail: string | null;
};
export type RemoteRow = {
  uid: string;
  bookingId: number;
  startsAt: Date;
  endsAt: Date;
  status: string;
  eventTypeId: number | null;
  attendeeName: string | null;
  attendeeEmail: string | null;
};

export function localSnapshot(a: LocalRow): LocalSnapshot {
  return {
    id: a.id,
    status: a.status,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    eventTypeId: a.calcomEventTypeId,
    bookingUid: a.calcomBookingUid,
    attendeeName: a.attendeeName,
    attendeeEmail: a.attendeeEmail,
  };
}

export function remoteSnapshot(b: RemoteRow, linkedAppointmentId?: number | null): RemoteSnapshot {
  return {
    uid: b.uid,
    id: b.bookingId,
    status: b.status,
    start: b.startsAt.toISOString(),
    end: b.endsAt.toISOString(),
    eventTypeId: b.eventTypeId,
    attendeeName: b.attendeeName,
    attendeeEmail: b.attendeeEmail,
    ...(linkedAppointmentId !== undefined ? { linkedAppointmentId } : {}),
  };
}

/**
 * Field-level diff of a linked pair, and the class it files under (status first: it decides whether the appointment
 * happens at all; then time; then event type). null when they agree.
 */
export function comparePair(local: LocalRow, remote: RemoteRow): { class: ReconcileClass; diff: ReconcileDiff } | null {
  const diff: ReconcileDiff = [];
  if (!isStatusConsistent(local.status, remote.status)) {
    diff.push({
      field: "status",
      local: local.status,
      calcom: parseApiStatus(remote.status) ?? remote.status,
      expected: LOCAL_TO_API[local.status],
    });
  }
  if (local.startsAt.getTime() !== remote.startsAt.getTime())
    diff.push({ field: "start", local: local.startsAt.toISOString(), calcom: remote.startsAt.toISOString() });
  if (local.endsAt.getTime() !== remote.endsAt.getTime())
    diff.push({ field: "end", local: local.endsAt.toISOString(), calcom: remote.endsAt.toISOString() });
  if (remote.eventTypeId !== null && local.calcomEventTypeId !== remote.eventTypeId) {
    diff.push({ field: "eventTypeId", local: local.calcomEventTypeId, calcom: remote.eventTypeId });
  }
  if (diff.length === 0) return null;
  const fields = new Set(diff.map((d) => d.field));
  const cls: ReconcileClass = fields.has("status")
    ? "status_mismatch"
    : fields.has("start") || fields.has("end")
      ? "time_mismatch"
      : "event_type_mismatch";
  return { class: cls, diff };
}

/** Whether an unlinked appointment and an unlinked booking describe the same appointment (a "link" candidate). */
export function isLinkCandidate(local: LocalRow, remote: RemoteRow): boolean {
  if (local.startsAt.getTime() !== remote.startsAt.getTime()) return false;
  if (local.calcomEventTypeId !== null && remote.eventTypeId !== null && local.calcomEventTypeId !== remote.eventTypeId)
    return false;
  const a = local.attendeeEmail?.trim().toLowerCase();
  const b = remote.attendeeEmail?.trim().toLowerCase();
  return !a || !b || a === b;
}
