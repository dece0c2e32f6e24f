import "server-only";
import type { AppointmentStatus } from "@/drizzle/schema/core";
import {
  assertSameCompany,
  createOrPark,
  findAppointment,
  findLinkFrom,
  isForward,
  lockBookings,
  REQUEST_RESCHEDULE_NOTE,
  updateAppointment,
  type ApplyContext,
  type ApplyResult,
} from "./appointment-state";
import { applyMeeting } from "./apply-meeting";
import { lookUpRescheduledFrom } from "./apply-requested";
import { applyReschedule } from "./apply-reschedule";
import {
  bookingPayloadSchema,
  CALCOM_STATUS_MAP,
  parseInstant,
  PermanentProcessingError,
  type BookingPayload,
} from "./payload";

/** Processing per trigger (issue 4, point 4). Runs inside the delivery's transaction, after the dedupe key is taken. */

const BOOKING_TRIGGERS = [
  "BOOKING_CREATED",
  "BOOKING_REQUESTED",
  "BOOKING_CANCELLED",
  "BOOKING_REJECTED",
  "BOOKING_RESCHEDULED",
] as const;
type BookingTrigger = (typeof BOOKING_TRIGGERS)[number];

const DEFAULT_STATUS: Record<BookingTrigger, AppointmentStatus> = {
  BOOKING_CREATED: "confirmed",
  BOOKING_REQUESTED: "pending",
  BOOKING_CANCELLED: "cancelled",
  BOOKING_REJECTED: "rejected",
  BOOKING_RESCHEDULED: "confirmed",
};

export async function applyDelivery(ctx: ApplyContext, json: Record<string, unknown>): Promise<ApplyResult> {
  const trigger = typeof json.triggerEvent === "string" ? json.triggerEvent : null;
  if (trigger === "PING")
    return { status: "processed", outcome: "Ping test received: the endpoint and the secret work" };
  if (trigger === "MEETING_STARTED" || trigger === "MEETING_ENDED") return applyMeeting(ctx, json);
  if (trigger && (BOOKING_TRIGGERS as readonly string[]).includes(trigger)) {
    if (!json.payload || typeof json.payload !== "object")
      throw new PermanentProcessingError(`${trigger} without a payload object`);
    const parsed = bookingPayloadSchema.safeParse(json.payload);
    if (!parsed.success)
      throw new PermanentProcessingError(
        `${trigger} payload is missing fields: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    return applyBooking(ctx, trigger as BookingTrigger, parsed.data);
  }
  return {
    status: "ignored",
    outcome: `Trigger ${trigger ?? "(none)"} is stored but not applied: it does not change appointments`,
  };
}

function mapStatus(trigger: BookingTrigger, raw: string | null | undefined): AppointmentStatus {
  if (!raw) return DEFAULT_STATUS[trigger];
  const status = CALCOM_STATUS_MAP[raw.toUpperCase()];
  if (!status)
    throw new PermanentProcessingError(
      `Unknown Cal.com booking status "${raw}" (known: ${Object.keys(CALCOM_STATUS_MAP).join(", ")})`,
    );
  return status;
}

async function applyBooking(ctx: ApplyContext, trigger: BookingTrigger, p: BookingPayload): Promise<ApplyResult> {
  const status = mapStatus(trigger, p.status);
  // Cal.com sends a reschedule of a booking that needs confirmation as BOOKING_REQUESTED carrying rescheduleUid.
  const isReschedule =
    trigger === "BOOKING_RESCHEDULED" || (trigger === "BOOKING_REQUESTED" && Boolean(p.rescheduleUid));
  await lockBookings(ctx.tx, [p.uid, isReschedule ? p.rescheduleUid : null]);
  if (isReschedule && p.rescheduleUid) return applyReschedule(ctx, { trigger, p, status, oldUid: p.rescheduleUid });

  const isFresh = ctx.isFresh?.(p.uid) ?? false;
  const current = isFresh ? undefined : await findAppointment(ctx.tx, p.uid);
  if (!current) {
    const link = isFresh ? undefined : await findLinkFrom(ctx.tx, p.uid);
    if (link)
      return {
        status: "ignored",
        outcome: `Booking ${p.uid} was already rescheduled to ${link.toUid}; this late ${trigger} does not bring it back`,
      };
    let note = trigger === "BOOKING_RESCHEDULED" ? "reschedule without rescheduleUid: created" : "created";
    if (trigger === "BOOKING_REQUESTED") {
      // §8.3: a reschedule that needs confirmation may come without rescheduleUid; Cal.com's API still knows.
      const lookup = await lookUpRescheduledFrom(ctx, p.uid);
      if (lookup.oldUid) {
        await lockBookings(ctx.tx, [lookup.oldUid]);
        const result = await applyReschedule(ctx, { trigger, p, status, oldUid: lookup.oldUid });
        return { ...result, outcome: `${result.outcome} (BOOKING_REQUESTED without rescheduleUid: ${lookup.note})` };
      }
      note = `created (${lookup.note})`;
    }
    return createOrPark(ctx, p, status, note);
  }
  assertSameCompany(ctx, current);
  if (!isForward(current.status, status)) {
    return {
      status: "ignored",
      outcome: `Appointment #${current.id} is ${current.status}; a ${trigger} (${p.status ?? "no status"}) arriving out of order does not change it`,
      appointmentId: current.id,
    };
  }
  const set: Record<string, unknown> = { status };
  if (trigger === "BOOKING_CREATED" || trigger === "BOOKING_REQUESTED" || trigger === "BOOKING_RESCHEDULED") {
    set.startsAt = parseInstant(p.startTime, "startTime");
    set.endsAt = parseInstant(p.endTime, "endTime");
  }
  if (!current.calcomBookingId && p.bookingId) set.calcomBookingId = p.bookingId;
  if (!current.calcomEventTypeId && p.eventTypeId) set.calcomEventTypeId = p.eventTypeId;
  set.syncStatus = "synced";
  const isSame =
    current.status === status &&
    (!set.startsAt || (set.startsAt as Date).getTime() === current.startsAt.getTime()) &&
    (!set.endsAt || (set.endsAt as Date).getTime() === current.endsAt.getTime()) &&
    set.calcomBookingId === undefined;
  if (isSame)
    return {
      status: "processed",
      outcome: `Appointment #${current.id} already ${status}: nothing to change`,
      appointmentId: current.id,
    };
  const reason =
    trigger === "BOOKING_CANCELLED"
      ? cancelNote(p)
      : trigger === "BOOKING_REJECTED" && p.rejectionReason
        ? ` (reason: ${p.rejectionReason})`
        : "";
  const after = await updateAppointment(ctx, current, set, `${current.status} -> ${status}${reason}`, p.uid);
  return {
    status: "processed",
    outcome: `Appointment #${after.id}: ${current.status} -> ${status}${reason}`,
    appointmentId: after.id,
  };
}

function cancelNote(p: BookingPayload): string {
  const parts = [
    p.cancellationReason ? `reason: ${p.cancellationReason}` : null,
    p.requestReschedule ? REQUEST_RESCHEDULE_NOTE : null,
  ].filter(Boolean);
  return parts.length ? ` (${parts.join("; ")})` : "";
}
