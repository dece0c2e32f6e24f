import type { SandboxBooking } from "@/drizzle/schema/sandbox";
import { validateLegacyCreate } from "./booking-input";
import { legacyBookingOutput } from "./booking-output";
import { attendeeRecord, createBookingChecked, getBookingByUid, reduceLocation, updateBooking } from "./booking-write";
import { LANGUAGES, MSG, msgBookingNotFound, msgCancelledAlready, msgEventTypeNotFound } from "./constants";
import {
  badRequest,
  globalPipeError,
  notFound,
  optionalAuthUser,
  readJsonBody,
  SandboxHttpError,
  success,
  type SandboxContext,
} from "./http";
import { isPlainObject, parseIsoDate } from "./params";
import { getEventType, getTeam } from "./store";
import { emitBookingWebhook } from "./webhooks";

/**
 * The 2024-04-15 bookings controller, reached with no, an unknown, or an older (04-15, 06-11, 06-14) version header.
 * Kept small: create, get, list (in bookings-list.ts) and cancel in the legacy shapes. It has no reschedule route.
 */

async function legacyOutput(ctx: SandboxContext, b: SandboxBooking) {
  const et = await getEventType(ctx.db, b.eventTypeId);
  return legacyBookingOutput(b, {
    id: b.eventTypeId,
    slug: et?.slug ?? "",
    title: et?.title ?? "",
    teamId: et?.teamId ?? null,
  });
}

// POST /v2/bookings (legacy) – body { start, end?, eventTypeId, timeZone, language, metadata, responses{name,email} }
export async function handleLegacyCreateBooking(ctx: SandboxContext): Promise<Response> {
  const body = await readJsonBody(ctx.req);
  const errors = validateLegacyCreate(body);
  if (errors.length) throw globalPipeError(errors);
  const responses = isPlainObject(body.responses) ? body.responses : {};
  if (typeof responses.name !== "string" || typeof responses.email !== "string")
    throw badRequest("Missing required booking responses: name and email");
  const start = parseIsoDate(body.start);
  if (!start) throw badRequest("Invalid start time");
  const et = await getEventType(ctx.db, body.eventTypeId as number);
  if (!et) throw notFound(msgEventTypeNotFound(body.eventTypeId as number));
  const end = parseIsoDate(body.end);
  const length = end ? Math.round((end.getTime() - start.getTime()) / 60_000) : et.lengthInMinutes;
  const team = et.teamId ? await getTeam(ctx.db, et.teamId) : null;
  const language = (LANGUAGES as readonly string[]).includes(body.language as string)
    ? (body.language as string)
    : "en";
  const booking = await createBookingChecked(ctx.db, {
    eventType: et,
    start,
    lengthMinutes: length,
    attendees: [
      attendeeRecord({
        name: responses.name,
        email: responses.email,
        timeZone: body.timeZone as string,
        phoneNumber: null,
        language,
      }),
    ],
    guests: null,
    location: reduceLocation(responses.location, team ? team.name : "integrations:daily"),
    metadata: body.metadata as Record<string, unknown>,
    responses: { ...responses },
    status: et.requiresConfirmation ? "pending" : "accepted",
    now: ctx.now,
  });
  await emitBookingWebhook(ctx.db, booking.status === "pending" ? "BOOKING_REQUESTED" : "BOOKING_CREATED", booking);
  return success(await legacyOutput(ctx, booking), 201);
}

// GET /v2/bookings/{uid} (legacy)
export async function handleLegacyGetBooking(ctx: SandboxContext, params: string[]): Promise<Response> {
  const uid = params[0] ?? "";
  const booking = await getBookingByUid(ctx.db, uid);
  if (!booking) throw notFound(msgBookingNotFound(uid));
  return success(await legacyOutput(ctx, booking));
}

// POST /v2/bookings/{uid}/cancel (legacy) – refuses numeric ids outright
export async function handleLegacyCancelBooking(ctx: SandboxContext, params: string[]): Promise<Response> {
  const uid = params[0] ?? "";
  if (/^\d+$/.test(uid)) throw badRequest(MSG.legacyUidNotId);
  const body = await readJsonBody(ctx.req);
  const booking = await getBookingByUid(ctx.db, uid);
  if (!booking) throw notFound(msgBookingNotFound(uid));
  if (booking.status === "cancelled" || booking.status === "rejected") throw badRequest(msgCancelledAlready(uid));
  if (booking.end <= ctx.now)
    throw new SandboxHttpError(400, MSG.cancelEnded, { raw: { statusCode: 400, message: MSG.cancelEnded } });
  const reason = typeof body.cancellationReason === "string" ? body.cancellationReason : "";
  const cancelledBy = optionalAuthUser(ctx)?.email ?? booking.attendees[0]?.email ?? null;
  const updated = await updateBooking(ctx.db, booking.id, {
    status: "cancelled",
    cancellationReason: reason,
    cancelledByEmail: cancelledBy,
    updatedAt: ctx.now,
  });
  await emitBookingWebhook(ctx.db, "BOOKING_CANCELLED", updated, {
    cancellationReason: reason,
    cancelledBy,
    requestReschedule: false,
  });
  return success(await legacyOutput(ctx, updated));
}
