import { z } from "zod";

/**
 * Response shapes (contract §3), parsed loosely: unknown fields pass through, so a newer Cal.com that adds fields
 * keeps working; only the fields the product relies on are required.
 */
export const meSchema = z.looseObject({
  id: z.number(),
  username: z.string().nullable().optional(),
  email: z.string(),
  name: z.string().nullable().optional(),
  timeZone: z.string().optional(),
  organizationId: z.number().nullable().optional(),
});

const bookingField = z.looseObject({
  type: z.string().optional(),
  slug: z.string().optional(),
  name: z.string().optional(),
  label: z.string().optional(),
  required: z.boolean().optional(),
  hidden: z.boolean().optional(),
});

export const eventTypeSchema = z.looseObject({
  id: z.number(),
  title: z.string(),
  slug: z.string(),
  lengthInMinutes: z.number(),
  lengthInMinutesOptions: z.array(z.number()).optional(),
  hidden: z.boolean().optional(),
  minimumBookingNotice: z.number().nullable().optional(),
  beforeEventBuffer: z.number().nullable().optional(),
  afterEventBuffer: z.number().nullable().optional(),
  slotInterval: z.number().nullable().optional(),
  bookingWindow: z.unknown().optional(),
  bookingFields: z.array(bookingField).optional(),
  teamId: z.number().nullable().optional(),
  ownerId: z.number().nullable().optional(),
  schedulingType: z.string().nullable().optional(),
  parentEventTypeId: z.number().nullable().optional(),
});
export type CalcomEventType = z.infer<typeof eventTypeSchema>;

/** 2024-09-04: data keyed by YYYY-MM-DD in the requested time zone; {start} or, with format=range, {start, end}. */
export const slotsSchema = z.record(
  z.string(),
  z.array(z.looseObject({ start: z.string(), end: z.string().optional(), seatsRemaining: z.number().optional() })),
);

export const bookingSchema = z.looseObject({
  id: z.number(),
  uid: z.string(),
  title: z.string().optional(),
  status: z.string(),
  start: z.string(),
  end: z.string(),
  duration: z.number().optional(),
  eventTypeId: z.number().nullable().optional(),
  eventType: z.looseObject({ id: z.number(), slug: z.string().optional() }).nullable().optional(),
  attendees: z
    .array(
      z.looseObject({ name: z.string().optional(), email: z.string().optional(), timeZone: z.string().optional() }),
    )
    .optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  cancellationReason: z.string().nullable().optional(),
  rescheduledFromUid: z.string().nullable().optional(),
  rescheduledToUid: z.string().nullable().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().nullable().optional(),
});
export type CalcomBooking = z.infer<typeof bookingSchema>;

export const paginationSchema = z.looseObject({
  totalItems: z.number().optional(),
  currentPage: z.number().optional(),
  totalPages: z.number().optional(),
  hasNextPage: z.boolean().optional(),
});

/** What every answer is first checked against; anything else (bare NestJS 500s, HTML from a proxy) is handled as raw. */
export const successEnvelope = z.looseObject({
  status: z.literal("success"),
  data: z.unknown(),
  pagination: paginationSchema.optional(),
});
export const errorEnvelope = z.looseObject({
  status: z.literal("error"),
  error: z.looseObject({
    code: z.string().optional(),
    message: z.string().optional(),
    details: z.unknown().optional(),
  }),
});
/** `{"statusCode":500,"message":"Internal server error"}` outside the envelope (cal.com#23529). */
export const bareNestError = z.looseObject({
  statusCode: z.number(),
  message: z.union([z.string(), z.array(z.string())]),
});
