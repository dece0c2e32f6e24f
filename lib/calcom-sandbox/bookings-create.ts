import type { SandboxBooking, SandboxEventType } from "@/drizzle/schema/sandbox";
import { validateCreateBooking, type CreateBookingInput } from "./booking-input";
import { createdBookingOutput } from "./booking-output";
import {
  attendeeRecord,
  createBookingChecked,
  createRecurringChecked,
  createSeatChecked,
  reduceLocation,
  type BookingSpec,
} from "./booking-write";
import { MSG, msgEventTypeNotFound } from "./constants";
import { badRequest, notFound, pipeValidationError, readJsonBody, success, type SandboxContext } from "./http";
import {
  getEventType,
  getTeam,
  getTeamBySlug,
  getTeamEventTypeBySlug,
  getUserByUsername,
  getUserEventTypeBySlug,
} from "./store";
import { emitBookingWebhook, freezeMeetingPayload } from "./webhooks";

/** POST /v2/bookings (2024-08-13, 2026-02-25): regular, seated and recurring creates. */

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
  for (const [slug, value] of Object.entries(input.bookingFieldsResponses))
    if (!(slug in responses)) responses[slug] = value;
  if (a.phoneNumber) responses.attendeePhoneNumber = a.phoneNumber;
  for (const field of et.bookingFields) {
    const value = responses[field.slug];
    if (field.required && !field.hidden && (value === undefined || value === null || value === "")) {
      throw badRequest(`invalid_type in 'responses,${field.slug}': Required`);
    }
  }
  return { ...responses, displayEmail: a.email ?? "" };
}

export async function defaultLocation(ctx: SandboxContext, et: SandboxEventType): Promise<string> {
  const team = et.teamId ? await getTeam(ctx.db, et.teamId) : null;
  return team ? team.name : "integrations:daily";
}

const DAY_MS = 86_400_000;

/** The series' starts: every `interval` days or weeks from the first, `count` times (capped by the event type). */
function recurrenceStarts(et: SandboxEventType, first: Date, requested: number | null): Date[] {
  const rule = et.recurrence!;
  if (requested !== null && requested > rule.occurrences) {
    throw badRequest(`recurrenceCount ${requested} is more than the event type's ${rule.occurrences} occurrences`);
  }
  const step = (rule.frequency === "weekly" ? 7 : 1) * rule.interval * DAY_MS;
  return Array.from({ length: requested ?? rule.occurrences }, (_, i) => new Date(first.getTime() + i * step));
}

async function announce(ctx: SandboxContext, booking: SandboxBooking): Promise<void> {
  await freezeMeetingPayload(ctx.db, booking);
  await emitBookingWebhook(ctx.db, booking.status === "pending" ? "BOOKING_REQUESTED" : "BOOKING_CREATED", booking);
}

// POST /v2/bookings (2024-08-13, 2026-02-25) – 201 with the booking (an array for a recurring series); auth optional
export async function handleCreateBooking(ctx: SandboxContext): Promise<Response> {
  const { errors, input } = validateCreateBooking(await readJsonBody(ctx.req));
  // §2 / §8.1: the create pipe's refusal is one flat string, no details.errors[].
  if (!input) throw pipeValidationError(errors);
  const et = await findEventTypeForCreate(ctx, input);
  // §8.8 managed event types: the parent has no hosts of its own; only its children (one per host) are bookable.
  if (et.schedulingType === "managed" || et.hostUserIds.length === 0) throw badRequest(MSG.noAvailableUsers);
  const spec: BookingSpec = {
    eventType: et,
    start: input.start,
    lengthMinutes: bookingLength(et, input.lengthInMinutes),
    attendees: [attendeeRecord(input.attendee)],
    guests: input.guests,
    location: reduceLocation(input.location, await defaultLocation(ctx, et)),
    metadata: input.metadata,
    responses: buildResponses(et, input),
    status: et.requiresConfirmation ? "pending" : "accepted",
    now: ctx.now,
  };
  if (et.seatsPerTimeSlot) {
    const seat = await createSeatChecked(ctx.db, spec, et.seatsPerTimeSlot);
    if (seat.isNew) await announce(ctx, seat.booking);
    return success({ ...createdBookingOutput(seat.booking, et), seatUid: seat.seatUid }, 201);
  }
  if (et.recurrence) {
    const series = await createRecurringChecked(ctx.db, spec, recurrenceStarts(et, input.start, input.recurrenceCount));
    for (const booking of series) await freezeMeetingPayload(ctx.db, booking);
    if (series[0])
      await emitBookingWebhook(
        ctx.db,
        series[0].status === "pending" ? "BOOKING_REQUESTED" : "BOOKING_CREATED",
        series[0],
      );
    return success(
      series.map((b) => createdBookingOutput(b, et)),
      201,
    );
  }
  const booking = await createBookingChecked(ctx.db, spec);
  await announce(ctx, booking);
  return success(createdBookingOutput(booking, et), 201);
}
