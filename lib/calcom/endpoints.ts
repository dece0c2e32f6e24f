import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { CACHE_TTL } from "./cache";
import type { CalcomHttp, CalcomResult } from "./client";
import { CalcomError } from "./errors";
import {
  bookingSchema,
  eventTypeSchema,
  meSchema,
  slotsSchema,
  type CalcomBooking,
  type CalcomEventType,
} from "./schemas";

/** Cal.com API v2 endpoints the product uses (contract §3), each with its family, version, schema and cache rule. */

function requireTeamId(http: CalcomHttp): number {
  const { teamId } = http.target;
  if (!teamId)
    throw new AppError(
      "BAD_REQUEST",
      "No Cal.com team id is configured for this company (CAL-006): set it in Settings.",
    );
  return teamId;
}

export async function getMe(http: CalcomHttp) {
  return http.request({ family: "me", method: "GET", pathTemplate: "/v2/me", schema: meSchema });
}

/**
 * The team's event types: GET /v2/teams/{teamId}/event-types (or the organization variant). Never /v2/event-types,
 * which is user-scoped and returns no team event types — the sync incident.
 */
export async function listTeamEventTypes(http: CalcomHttp, opts: { bypassCache?: boolean } = {}) {
  const { organizationId } = http.target;
  const teamId = requireTeamId(http);
  const list = (org: number | null) =>
    http.request({
      family: "teams",
      metricFamily: "eventTypes",
      method: "GET",
      pathTemplate: org ? "/v2/organizations/{orgId}/teams/{teamId}/event-types" : "/v2/teams/{teamId}/event-types",
      params: org ? { orgId: org, teamId } : { teamId },
      schema: z.array(eventTypeSchema),
      cache: opts.bypassCache ? undefined : { scope: "event-types", ttlMs: CACHE_TTL.eventTypes },
    });
  if (!organizationId) return list(null);
  try {
    return await list(organizationId);
  } catch (error) {
    // §8.7: the organization route sits behind IsAdminAPIEnabledGuard (403 without Cal.com's admin API); the plain
    // team route serves a team inside an organization too, so the sync falls back instead of failing.
    if (error instanceof CalcomError && error.status === 403) return list(null);
    throw error;
  }
}

/**
 * One event type for reading its settings (booking fields, buffers). GET /v2/event-types/{id} serves a team event
 * type only to its owner, hosts and admins (§8.6, 403 = CAL-016); the team list has no guard and carries the same
 * fields, so a key without that access still gets them.
 */
export async function getEventTypeReadable(
  http: CalcomHttp,
  eventTypeId: number,
): Promise<CalcomResult<CalcomEventType>> {
  try {
    return await getEventType(http, eventTypeId);
  } catch (error) {
    if (!(error instanceof CalcomError && error.calCode === "CAL-016") || !http.target.teamId) throw error;
    const list = await listTeamEventTypes(http);
    const found = list.data.find((et) => et.id === eventTypeId);
    if (!found) throw error;
    return { ...list, data: found };
  }
}

/** Membership-guarded (unlike the team event-type list), so it proves the key can act for the team. */
export async function getTeam(http: CalcomHttp) {
  const teamId = requireTeamId(http);
  return http.request({
    family: "teams",
    method: "GET",
    pathTemplate: "/v2/teams/{teamId}",
    params: { teamId },
    schema: z.looseObject({ id: z.number(), name: z.string().optional(), slug: z.string().nullable().optional() }),
  });
}

export async function getEventType(http: CalcomHttp, eventTypeId: number) {
  return http.request({
    family: "eventTypes",
    method: "GET",
    pathTemplate: "/v2/event-types/{id}",
    params: { id: eventTypeId },
    schema: eventTypeSchema,
    cache: { scope: "event-types", ttlMs: CACHE_TTL.eventTypes },
  });
}

export const getSlotsSchema = z.object({
  eventTypeId: z.number().int().positive(),
  /** UTC instants (Cal.com interprets start/end as UTC). */
  start: z.date(),
  end: z.date(),
  timeZone: z.string().min(1),
  duration: z.number().int().positive().optional(),
  bookingUidToReschedule: z.string().optional(),
});

export async function getSlots(
  http: CalcomHttp,
  input: z.infer<typeof getSlotsSchema>,
  opts: { bypassCache?: boolean } = {},
) {
  const q = getSlotsSchema.parse(input);
  return http.request({
    family: "slots",
    method: "GET",
    pathTemplate: "/v2/slots",
    query: {
      eventTypeId: q.eventTypeId,
      start: q.start.toISOString(),
      end: q.end.toISOString(),
      timeZone: q.timeZone,
      format: "range",
      duration: q.duration,
      bookingUidToReschedule: q.bookingUidToReschedule,
    },
    schema: slotsSchema,
    cache: opts.bypassCache ? undefined : { scope: `slots:${q.eventTypeId}`, ttlMs: CACHE_TTL.slots },
  });
}

export const createBookingSchema = z.object({
  eventTypeId: z.number().int().positive(),
  start: z.date(),
  attendee: z
    .object({
      name: z.string().trim().min(1),
      email: z.email().optional(),
      phoneNumber: z
        .string()
        .regex(/^\+[1-9]\d{6,14}$/, "Phone numbers must be E.164, e.g. +4930123456")
        .optional(),
      timeZone: z.string().min(1),
      language: z.string().optional(),
    })
    .refine((a) => a.email || a.phoneNumber, "The attendee needs an email or a phone number"),
  bookingFieldsResponses: z.record(z.string(), z.unknown()).optional(),
  metadata: z.record(z.string().max(40), z.string().max(500)).optional(),
  lengthInMinutes: z.number().int().positive().optional(),
});

export async function createBooking(
  http: CalcomHttp,
  input: z.infer<typeof createBookingSchema>,
): Promise<CalcomResult<CalcomBooking>> {
  const b = createBookingSchema.parse(input);
  try {
    return await http.request({
      family: "bookings",
      method: "POST",
      pathTemplate: "/v2/bookings",
      body: { ...b, start: b.start.toISOString() },
      schema: bookingSchema,
      timeoutMs: 15_000,
    });
  } finally {
    // Booked, or refused because the slot is gone: either way the cached slots are stale.
    await http.invalidate(`slots:${b.eventTypeId}`);
  }
}

/** Booking routes take the string uid; a numeric id is the cancellation incident (404 "Booking with uid=N not found"). */
function assertUid(uid: string): void {
  if (/^\d+$/.test(uid))
    throw new AppError(
      "BAD_REQUEST",
      `"${uid}" is a numeric booking id; Cal.com booking routes need the booking uid (CAL-011).`,
    );
}

/**
 * One booking by uid. A recurring series' uid answers the array of its occurrences (contract §3.4, §8.8): then the
 * occurrence with that uid, else the first one, so every caller keeps getting one booking.
 */
export async function getBooking(http: CalcomHttp, uid: string): Promise<CalcomResult<CalcomBooking>> {
  assertUid(uid);
  const result = await http.request({
    family: "bookings",
    method: "GET",
    pathTemplate: "/v2/bookings/{uid}",
    params: { uid },
    schema: z.union([bookingSchema, z.array(bookingSchema).min(1)]),
  });
  const data = Array.isArray(result.data) ? (result.data.find((b) => b.uid === uid) ?? result.data[0]!) : result.data;
  return { ...result, data };
}

export const listBookingsSchema = z.object({
  status: z.array(z.enum(["upcoming", "recurring", "past", "cancelled", "unconfirmed"])).optional(),
  eventTypeIds: z.array(z.number().int()).optional(),
  teamsIds: z.array(z.number().int()).optional(),
  attendeeEmail: z.string().optional(),
  afterStart: z.date().optional(),
  beforeEnd: z.date().optional(),
  afterUpdatedAt: z.date().optional(),
  sortUpdatedAt: z.enum(["asc", "desc"]).optional(),
  sortStart: z.enum(["asc", "desc"]).optional(),
  take: z.number().int().min(1).max(250).default(100),
  skip: z.number().int().min(0).default(0),
});

export async function listBookings(http: CalcomHttp, input: z.input<typeof listBookingsSchema>) {
  const q = listBookingsSchema.parse(input);
  return http.request({
    family: "bookings",
    method: "GET",
    pathTemplate: "/v2/bookings",
    query: {
      status: q.status?.join(","),
      eventTypeIds: q.eventTypeIds?.join(","),
      teamsIds: q.teamsIds?.join(","),
      attendeeEmail: q.attendeeEmail,
      afterStart: q.afterStart?.toISOString(),
      beforeEnd: q.beforeEnd?.toISOString(),
      afterUpdatedAt: q.afterUpdatedAt?.toISOString(),
      sortUpdatedAt: q.sortUpdatedAt,
      sortStart: q.sortStart,
      take: q.take,
      skip: q.skip,
    },
    schema: z.array(bookingSchema),
  });
}

async function invalidateFor(http: CalcomHttp, booking: CalcomBooking): Promise<void> {
  const eventTypeId = booking.eventType?.id ?? booking.eventTypeId;
  if (eventTypeId) await http.invalidate(`slots:${eventTypeId}`);
}

export async function cancelBooking(http: CalcomHttp, uid: string, body: { cancellationReason?: string } = {}) {
  assertUid(uid);
  const result = await http.request({
    family: "bookings",
    method: "POST",
    pathTemplate: "/v2/bookings/{uid}/cancel",
    params: { uid },
    body,
    schema: bookingSchema,
  });
  await invalidateFor(http, result.data);
  return result;
}

/** Returns the NEW booking (new uid and id); the old one becomes cancelled with rescheduledToUid. */
export async function rescheduleBooking(
  http: CalcomHttp,
  uid: string,
  body: { start: Date; reschedulingReason?: string; rescheduledBy?: string },
) {
  assertUid(uid);
  const result = await http.request({
    family: "bookings",
    method: "POST",
    pathTemplate: "/v2/bookings/{uid}/reschedule",
    params: { uid },
    body: { ...body, start: body.start.toISOString() },
    schema: bookingSchema,
  });
  await invalidateFor(http, result.data);
  return result;
}

const webhookSubscriptionSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  subscriberUrl: z.string(),
  triggers: z.array(z.string()).default([]),
  active: z.boolean(),
  payloadTemplate: z.string().nullable().optional(),
  secret: z.string().nullable().optional(),
});
export type CalcomWebhookSubscription = z.infer<typeof webhookSubscriptionSchema>;

/** GET /v2/webhooks (contract §4.1): the key's webhook subscriptions; read by the watchdog's subscription check. */
export async function listWebhooks(http: CalcomHttp) {
  return http.request({
    family: "webhooks",
    method: "GET",
    pathTemplate: "/v2/webhooks",
    schema: z.array(webhookSubscriptionSchema),
  });
}
