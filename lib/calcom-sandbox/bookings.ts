import type { SandboxBooking, SandboxEventType } from "@/drizzle/schema/sandbox";
import { validateCancel, validateCreateBooking, validateReschedule, type CreateBookingInput } from "./booking-input";
import { bookingOutput, createdBookingOutput } from "./booking-output";
import { attendeeRecord, createBookingChecked, getBookingByUid, reduceLocation, rescheduleBookingChecked, updateBooking } from "./booking-write";
import { MSG, msgBookingNotFound, msgCancelledAlready, msgCancelNotFound, msgEventTypeNotFound, msgRescheduleCancelled, msgRescheduledAlready } from "./constants";
import {
  badRequest,
  notFound,
  optionalAuthUser,
  pipeValidationError,
  readJsonBody,
  requireAuthUser,
  SandboxHttpError,
  success,
  type SandboxContext,
} from "./http";
import { getEventType, getTeam, getTeamBySlug, getTeamEventTypeBySlug, getUserByUsername, getUserEventTypeBySlug, isTeamMember } from "./store";
import { emitBookingWebhook } from "./webhooks";

async function findEventTypeForCreate(ctx: SandboxContext, input: CreateBookingInput): Promise<SandboxEventType> {
  if (input.eventTypeId) {
    const et = await getEventType(ctx.db, input.eventTypeId);
    if (!et) throw notFound(msgEventTypeNotFound(input.eventTypeId));
    return et;
  }
  const slug = input.eventTypeSlug ?? "";
  if (input.username) {
    const user = await getUserByUsername(ctx.db, input.username);
    const et = user ? await getUserEventTypeBySlug(ctx.db, user.id, slug) : null;
    if (!et) throw notFound(`Event type with slug ${slug} belonging to user ${input.username} not found.`);
    return et;
  }
  const team = await getTeamBySlug(ctx.db, input.teamSlug ?? "");
  const et = team ? await getTeamEventTypeBySlug(ctx.db, team.id, slug) : null;
  if (!et) throw notFound(`Event type with slug ${slug} belonging to team ${input.teamSlug} not found.`);
  return et;
}

function bookingLength(et: SandboxEventType, requested: number | null): number {
  if (requested === null) return et.lengthInMinutes;
  if (!et.lengthInMinutesOptions) throw badRequest(MSG.singleLength);
  if (!et.lengthInMinutesOptions.includes(requested)) {
    throw badRequest(
      `Provided 'lengthInMinutes' is not one of the possible lengths for the event type. The possible lengths are: ${et.lengthInMinutesOptions.join(", ")}`,
    );
  }
  return requested;
}

/** Booking-field answers keyed by slug; required fields of the event type must be answered. */
function buildResponses(et: SandboxEventType, input: CreateBookingInput): Record<string, unknown> {
  const a = input.attendee;
  const responses: Record<string, unknown> = { name: a.name, ...(a.email ? { email: a.email } : {}) };
  if (input.guests) responses.guests = input.guests;
  for (const [slug, value] of Object.entries(input.bookingFieldsResponses)) if (!(slug in responses)) responses[slug] = value;
  if (a.phoneNumber) responses.attendeePhoneNumber = a.phoneNumber;
  for (const field of et.bookingFields) {
    const value = responses[field.slug];
    if (field.required && !field.hidden && (value === undefined || value === null || value === "")) {
      throw badRequest(`invalid_type in 'responses,${field.slug}': Required`);
    }
  }
  return { ...responses, displayEmail: a.email ?? "" };
}

async function defaultLocation(ctx: SandboxContext, et: SandboxEventType): Promise<string> {
  const team = et.teamId ? await getTeam(ctx.db, et.teamId) : null;
  return team ? team.name : "integrations:daily";
}

// POST /v2/bookings (2024-08-13, 2026-02-25) – 201 with the booking; auth optional
export async function handleCreateBooking(ctx: SandboxContext): Promise<Response> {
  const { errors, input } = validateCreateBooking(await readJsonBody(ctx.req));
  if (!input) throw pipeValidationError(errors);
  const et = await findEventTypeForCreate(ctx, input);
  const length = bookingLength(et, input.lengthInMinutes);
  const responses = buildResponses(et, input);
  const booking = await createBookingChecked(ctx.db, {
    eventType: et,
    start: input.start,
    lengthMinutes: length,
    attendees: [attendeeRecord(input.attendee)],
    guests: input.guests,
    location: reduceLocation(input.location, await defaultLocation(ctx, et)),
    metadata: input.metadata,
    responses,
    status: et.requiresConfirmation ? "pending" : "accepted",
    now: ctx.now,
  });
  emitBookingWebhook(ctx.db, booking.status === "pending" ? "BOOKING_REQUESTED" : "BOOKING_CREATED", booking);
  return success(createdBookingOutput(booking, et), 201);
}

async function output(ctx: SandboxContext, b: SandboxBooking) {
  const et = await getEventType(ctx.db, b.eventTypeId);
  return bookingOutput(b, { id: b.eventTypeId, slug: et?.slug ?? "" });
}

// GET /v2/bookings/{uid} – auth optional: the uid is the capability
export async function handleGetBooking(ctx: SandboxContext, params: string[]): Promise<Response> {
  const uid = params[0] ?? "";
  const booking = await getBookingByUid(ctx.db, uid);
  if (!booking) throw notFound(msgBookingNotFound(uid));
  return success(await output(ctx, booking));
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
  if (booking.end <= ctx.now) throw new SandboxHttpError(400, MSG.cancelEnded, { raw: { statusCode: 400, message: MSG.cancelEnded } });
  const cancelledBy = optionalAuthUser(ctx)?.email ?? booking.attendees[0]?.email ?? null;
  const updated = await updateBooking(ctx.db, booking.id, {
    status: "cancelled",
    cancellationReason: reason ?? "",
    cancelledByEmail: cancelledBy,
    updatedAt: ctx.now,
  });
  emitBookingWebhook(ctx.db, "BOOKING_CANCELLED", updated, { cancellationReason: reason ?? "", cancelledBy, requestReschedule: false });
  return success(await output(ctx, updated));
}

// POST /v2/bookings/{uid}/reschedule – 201 with a NEW booking; the old one becomes cancelled
export async function handleRescheduleBooking(ctx: SandboxContext, params: string[]): Promise<Response> {
  const { errors, input } = validateReschedule(await readJsonBody(ctx.req));
  if (!input) throw pipeValidationError(errors);
  const uid = params[0] ?? "";
  const old = await getBookingByUid(ctx.db, uid);
  if (!old) throw notFound(msgBookingNotFound(uid));
  if (old.status === "cancelled" || old.status === "rejected") {
    throw badRequest(old.rescheduledToUid ? msgRescheduledAlready(uid, old.rescheduledToUid) : msgRescheduleCancelled(uid));
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
    responses: input.reschedulingReason ? { ...old.bookingFieldsResponses, rescheduleReason: input.reschedulingReason } : old.bookingFieldsResponses,
    status,
    now: ctx.now,
    reschedule: { fromUid: old.uid, reason: input.reschedulingReason, byEmail: input.rescheduledBy },
  });
  emitBookingWebhook(ctx.db, "BOOKING_RESCHEDULED", created, {
    rescheduleId: old.id,
    rescheduleUid: old.uid,
    rescheduleStartTime: old.start.toISOString(),
    rescheduleEndTime: old.end.toISOString(),
    rescheduledBy: input.rescheduledBy ?? undefined,
  });
  return success(createdBookingOutput(created, et), 201);
}

async function pendingBookingForHost(ctx: SandboxContext, uid: string): Promise<SandboxBooking> {
  const user = requireAuthUser(ctx);
  const booking = await getBookingByUid(ctx.db, uid);
  if (!booking) throw notFound(msgBookingNotFound(uid));
  const isHost = booking.hostIds.includes(user.id) || (booking.teamId !== null && (await isTeamMember(ctx.db, booking.teamId, user.id)));
  if (!isHost) throw new SandboxHttpError(403, `User with id=${user.id} is not allowed to confirm or decline booking with uid=${uid}`);
  if (booking.status !== "pending") throw badRequest(`Booking with uid=${uid} is not pending confirmation.`);
  return booking;
}

// POST /v2/bookings/{uid}/confirm – the organizer accepts a requested booking (arrives as BOOKING_CREATED)
export async function handleConfirmBooking(ctx: SandboxContext, params: string[]): Promise<Response> {
  const booking = await pendingBookingForHost(ctx, params[0] ?? "");
  const updated = await updateBooking(ctx.db, booking.id, { status: "accepted", updatedAt: ctx.now });
  emitBookingWebhook(ctx.db, "BOOKING_CREATED", updated);
  return success(await output(ctx, updated));
}

// POST /v2/bookings/{uid}/decline – body { reason? }
export async function handleDeclineBooking(ctx: SandboxContext, params: string[]): Promise<Response> {
  const body = await readJsonBody(ctx.req);
  const booking = await pendingBookingForHost(ctx, params[0] ?? "");
  const reason = typeof body.reason === "string" ? body.reason : null;
  const updated = await updateBooking(ctx.db, booking.id, { status: "rejected", rejectionReason: reason, updatedAt: ctx.now });
  emitBookingWebhook(ctx.db, "BOOKING_REJECTED", updated, { rejectionReason: reason ?? "" });
  return success(await output(ctx, updated));
}
