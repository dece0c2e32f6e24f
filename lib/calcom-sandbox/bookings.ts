import { asc, eq } from "drizzle-orm";
import { sandboxBookings, type SandboxBooking } from "@/drizzle/schema/sandbox";
import { validateCancel, validateReschedule } from "./booking-input";
import { bookingOutput, createdBookingOutput } from "./booking-output";
import { getBookingByUid, rescheduleBookingChecked, updateBooking } from "./booking-write";
import { defaultLocation } from "./bookings-create";
import {
  MSG,
  msgBookingNotFound,
  msgCancelledAlready,
  msgCancelNotFound,
  msgEventTypeNotFound,
  msgRescheduleCancelled,
  msgRescheduledAlready,
} from "./constants";
import {
  badRequest,
  notFound,
  optionalAuthUser,
  pipeValidationError,
  jsonResponse,
  readJsonBody,
  requireAuthUser,
  SandboxHttpError,
  success,
  type SandboxContext,
} from "./http";
import { getEventType, isTeamMember } from "./store";
import { emitBookingWebhook, freezeMeetingPayload } from "./webhooks";

async function output(ctx: SandboxContext, b: SandboxBooking) {
  const et = await getEventType(ctx.db, b.eventTypeId);
  return bookingOutput(b, { id: b.eventTypeId, slug: et?.slug ?? "" });
}

// GET /v2/bookings/{uid} – auth optional: the uid is the capability. A recurring series' uid answers the array of its
// occurrences (§3.4, §8.8: "uid of recurring booking which will return an array of all recurring booking recurrences").
export async function handleGetBooking(ctx: SandboxContext, params: string[]): Promise<Response> {
  const uid = params[0] ?? "";
  const booking = await getBookingByUid(ctx.db, uid);
  if (booking) return success(await output(ctx, booking));
  const series = await ctx.db
    .select()
    .from(sandboxBookings)
    .where(eq(sandboxBookings.recurringBookingUid, uid))
    .orderBy(asc(sandboxBookings.start));
  if (series.length === 0) throw notFound(msgBookingNotFound(uid));
  return success(await Promise.all(series.map((b) => output(ctx, b))));
}

// POST /v2/bookings/{uid}/cancel – 200; a numeric id is just an unknown uid here
export async function handleCancelBooking(ctx: SandboxContext, params: string[]): Promise<Response> {
  const { errors, reason } = validateCancel(await readJsonBody(ctx.req));
  if (errors.length) throw pipeValidationError(errors);
  const uid = params[0] ?? "";
  const booking = await getBookingByUid(ctx.db, uid);
  if (!booking) throw notFound(msgCancelNotFound(uid));
  if (booking.status === "cancelled" || booking.status === "rejected") throw badRequest(msgCancelledAlready(uid));
  // A core HttpError that the v2 filters do not wrap: the bare NestJS body.
  if (booking.end <= ctx.now)
    throw new SandboxHttpError(400, MSG.cancelEnded, { raw: { statusCode: 400, message: MSG.cancelEnded } });
  const cancelledBy = optionalAuthUser(ctx)?.email ?? booking.attendees[0]?.email ?? null;
  const updated = await updateBooking(ctx.db, booking.id, {
    status: "cancelled",
    cancellationReason: reason ?? "",
    cancelledByEmail: cancelledBy,
    updatedAt: ctx.now,
  });
  await emitBookingWebhook(ctx.db, "BOOKING_CANCELLED", updated, {
    cancellationReason: reason ?? "",
    cancelledBy,
    requestReschedule: false,
  });
  return success(await output(ctx, updated));
}

// POST /v2/bookings/{uid}/reschedule – 201 with a NEW booking; the old one becomes cancelled
export async function handleRescheduleBooking(ctx: SandboxContext, params: string[]): Promise<Response> {
  const { errors, input } = validateReschedule(await readJsonBody(ctx.req));
  if (!input) throw pipeValidationError(errors);
  const uid = params[0] ?? "";
  const old = await getBookingByUid(ctx.db, uid);
  if (!old) throw notFound(msgBookingNotFound(uid));
  // §8.4: a booking the host cancelled with "request reschedule" can still be rebooked by the attendee through its
  // reschedule link; the sandbox lets this route stand in for that link.
  const isRequested = old.status === "cancelled" && old.isRescheduleRequested && !old.rescheduledToUid;
  if ((old.status === "cancelled" || old.status === "rejected") && !isRequested) {
    throw badRequest(
      old.rescheduledToUid ? msgRescheduledAlready(uid, old.rescheduledToUid) : msgRescheduleCancelled(uid),
    );
  }
  const et = await getEventType(ctx.db, old.eventTypeId);
  if (!et) throw notFound(msgEventTypeNotFound(old.eventTypeId));
  const organizerEmail = old.hosts[0]?.email;
  // A requires-confirmation booking stays pending unless the organizer moved it.
  const status = et.requiresConfirmation && input.rescheduledBy !== organizerEmail ? "pending" : "accepted";
  const { created } = await rescheduleBookingChecked(ctx.db, old, {
    eventType: et,
    start: input.start,
    lengthMinutes: Math.round((old.end.getTime() - old.start.getTime()) / 60_000),
    attendees: old.attendees,
    guests: old.guests,
    location: old.location ?? (await defaultLocation(ctx, et)),
    metadata: old.metadata,
    responses: input.reschedulingReason
      ? { ...old.bookingFieldsResponses, rescheduleReason: input.reschedulingReason }
      : old.bookingFieldsResponses,
    status,
    now: ctx.now,
    reschedule: { fromUid: old.uid, reason: input.reschedulingReason, byEmail: input.rescheduledBy },
  });
  await freezeMeetingPayload(ctx.db, created);
  await emitBookingWebhook(ctx.db, "BOOKING_RESCHEDULED", created, {
    rescheduleId: old.id,
    rescheduleUid: old.uid,
    rescheduleStartTime: old.start.toISOString(),
    rescheduleEndTime: old.end.toISOString(),
    rescheduledBy: input.rescheduledBy ?? undefined,
  });
  return success(createdBookingOutput(created, et), 201);
}

/** The booking by uid, when the caller hosts it (directly or through its team); `what` names the action in the 403. */
async function bookingForHost(ctx: SandboxContext, uid: string, what: string) {
  const user = requireAuthUser(ctx);
  const booking = await getBookingByUid(ctx.db, uid);
  if (!booking) throw notFound(msgBookingNotFound(uid));
  const isHost =
    booking.hostIds.includes(user.id) ||
    (booking.teamId !== null && (await isTeamMember(ctx.db, booking.teamId, user.id)));
  if (!isHost)
    throw new SandboxHttpError(403, `User with id=${user.id} is not allowed to ${what} booking with uid=${uid}`);
  return { user, booking };
}

async function pendingBookingForHost(ctx: SandboxContext, uid: string): Promise<SandboxBooking> {
  const { booking } = await bookingForHost(ctx, uid, "confirm or decline");
  if (booking.status !== "pending") throw badRequest(`Booking with uid=${uid} is not pending confirmation.`);
  return booking;
}

// POST /v2/bookings/{uid}/confirm – the organizer accepts a requested booking (arrives as BOOKING_CREATED)
export async function handleConfirmBooking(ctx: SandboxContext, params: string[]): Promise<Response> {
  const booking = await pendingBookingForHost(ctx, params[0] ?? "");
  const updated = await updateBooking(ctx.db, booking.id, { status: "accepted", updatedAt: ctx.now });
  await emitBookingWebhook(ctx.db, "BOOKING_CREATED", updated);
  return success(await output(ctx, updated));
}

// POST /v2/bookings/{uid}/decline – body { reason? }
export async function handleDeclineBooking(ctx: SandboxContext, params: string[]): Promise<Response> {
  const body = await readJsonBody(ctx.req);
  const booking = await pendingBookingForHost(ctx, params[0] ?? "");
  const reason = typeof body.reason === "string" ? body.reason : null;
  const updated = await updateBooking(ctx.db, booking.id, {
    status: "rejected",
    rejectionReason: reason,
    updatedAt: ctx.now,
  });
  await emitBookingWebhook(ctx.db, "BOOKING_REJECTED", updated, { rejectionReason: reason ?? "" });
  return success(await output(ctx, updated));
}

// POST /v2/bookings/{uid}/request-reschedule (2026-02-25 only) – the host cancels the booking and asks the attendee to
// pick a new time (§8.4). 200 with `{status:"success"}` only; one BOOKING_CANCELLED with requestReschedule:true.
export async function handleRequestReschedule(ctx: SandboxContext, params: string[]): Promise<Response> {
  const uid = params[0] ?? "";
  const body = await readJsonBody(ctx.req);
  const { user, booking } = await bookingForHost(ctx, uid, "request a reschedule of");
  if (booking.status === "cancelled" || booking.status === "rejected") throw badRequest(msgCancelledAlready(uid));
  const reason = typeof body.rescheduleReason === "string" ? body.rescheduleReason : "";
  const updated = await updateBooking(ctx.db, booking.id, {
    status: "cancelled",
    isRescheduleRequested: true,
    cancellationReason: reason,
    cancelledByEmail: user.email,
    updatedAt: ctx.now,
  });
  await emitBookingWebhook(ctx.db, "BOOKING_CANCELLED", updated, {
    cancellationReason: reason,
    cancelledBy: user.email,
    requestReschedule: true,
  });
  return jsonResponse(200, { status: "success" });
}
