import { now } from "@/lib/time/clock";
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/**
 * Tables of the built-in Cal.com API v2 sandbox (lib/calcom-sandbox). Everything lives in the database, not in
 * memory, so several app instances serve one consistent sandbox (rate limits and fault counters included).
 * Ids of users, teams and event types are Cal.com's own numbers (from lib/demo/catalog.ts), not generated.
 */

export const SANDBOX_BOOKING_STATUSES = ["accepted", "pending", "cancelled", "rejected"] as const;
export type SandboxBookingStatus = (typeof SANDBOX_BOOKING_STATUSES)[number];
export const SANDBOX_MEMBERSHIP_ROLES = ["OWNER", "ADMIN", "MEMBER"] as const;

/** Working hours by ISO weekday ("1" = Monday … "7" = Sunday), wall-clock ranges in `timeZone`. */
export type SandboxSchedule = { timeZone: string; weekly: Partial<Record<string, [string, string][]>> };
export type SandboxBookingField = {
  slug: string;
  type: string;
  label: string;
  required: boolean;
  hidden: boolean;
  isDefault: boolean;
};
export type SandboxAttendee = {
  name: string;
  email: string;
  timeZone: string;
  language: string;
  phoneNumber?: string;
  absent?: boolean;
  seatUid?: string;
};
/** A recurring event type's rule (contract §3.4 recurring bookings): every `interval` weeks/days, at most `count` times. */
export type SandboxRecurrence = { frequency: "weekly" | "daily"; interval: number; occurrences: number };
export type SandboxHost = { id: number; name: string; email: string; username: string; timeZone: string };

export const sandboxUsers = pgTable("sandbox_users", {
  id: integer().primaryKey(),
  username: text().notNull().unique(),
  email: text().notNull(),
  name: text(),
  timeZone: text().notNull().default("Europe/Berlin"),
  weekStart: text().notNull().default("Monday"),
  timeFormat: integer().notNull().default(24),
  locale: text().notNull().default("de"),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});
export type SandboxUser = typeof sandboxUsers.$inferSelect;

/** Only the SHA-256 of the key (without its `cal_` prefix, as Cal.com hashes it) is stored. */
export const sandboxApiKeys = pgTable(
  "sandbox_api_keys",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    keyHash: text().notNull().unique(),
    userId: integer()
      .notNull()
      .references(() => sandboxUsers.id, { onDelete: "cascade" }),
    label: text(),
    last4: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index("sandbox_api_keys_user").on(t.userId)],
);

export const sandboxTeams = pgTable("sandbox_teams", {
  id: integer().primaryKey(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  parentId: integer(),
  timeZone: text().notNull().default("Europe/Berlin"),
  weekStart: text().notNull().default("Monday"),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});
export type SandboxTeam = typeof sandboxTeams.$inferSelect;

export const sandboxMemberships = pgTable(
  "sandbox_memberships",
  {
    teamId: integer()
      .notNull()
      .references(() => sandboxTeams.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => sandboxUsers.id, { onDelete: "cascade" }),
    role: text({ enum: SANDBOX_MEMBERSHIP_ROLES }).notNull().default("MEMBER"),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("sandbox_memberships_user").on(t.userId)],
);

/** Owned by a team (teamId) or by a user (ownerId), never both. */
export const sandboxEventTypes = pgTable(
  "sandbox_event_types",
  {
    id: integer().primaryKey(),
    teamId: integer().references(() => sandboxTeams.id, { onDelete: "cascade" }),
    ownerId: integer().references(() => sandboxUsers.id, { onDelete: "cascade" }),
    slug: text().notNull(),
    title: text().notNull(),
    description: text().notNull().default(""),
    lengthInMinutes: integer().notNull(),
    /** Multi-duration event types list their possible lengths; null = one length only. */
    lengthInMinutesOptions: jsonb().$type<number[]>(),
    beforeEventBuffer: integer().notNull().default(0),
    afterEventBuffer: integer().notNull().default(0),
    minimumBookingNotice: integer().notNull().default(0),
    slotInterval: integer(),
    hidden: boolean().notNull().default(false),
    /** Rolling window in calendar days; null = bookable any time in the future. */
    bookingWindowDays: integer(),
    requiresConfirmation: boolean().notNull().default(false),
    /** camelCase as API v2 renders it: roundRobin | collective; null for user event types. */
    schedulingType: text(),
    hostUserIds: jsonb().$type<number[]>().notNull().default([]),
    schedule: jsonb().$type<SandboxSchedule>().notNull(),
    bookingFields: jsonb().$type<SandboxBookingField[]>().notNull().default([]),
    price: integer().notNull().default(0),
    currency: text().notNull().default("eur"),
    /** Seated event types (§8.8): several attendees share one booking per slot, each with a seatUid. */
    seatsPerTimeSlot: integer(),
    /** Managed event types (§8.8): a child points at its parent; a parent (schedulingType "managed") is not bookable. */
    parentEventTypeId: integer(),
    recurrence: jsonb().$type<SandboxRecurrence>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [
    index("sandbox_event_types_team").on(t.teamId),
    index("sandbox_event_types_owner").on(t.ownerId),
    uniqueIndex("sandbox_event_types_team_slug")
      .on(t.teamId, t.slug)
      .where(sql`${t.teamId} is not null`),
    uniqueIndex("sandbox_event_types_owner_slug")
      .on(t.ownerId, t.slug)
      .where(sql`${t.ownerId} is not null`),
  ],
);
export type SandboxEventType = typeof sandboxEventTypes.$inferSelect;

export const sandboxBookings = pgTable(
  "sandbox_bookings",
  {
    // Cal.com booking ids are large; seeded bookings may bring their own ids (the seed moves the sequence past them).
    id: integer().primaryKey().generatedByDefaultAsIdentity({ startWith: 12_850_000 }),
    uid: text().notNull(),
    eventTypeId: integer()
      .notNull()
      .references(() => sandboxEventTypes.id, { onDelete: "cascade" }),
    /** Copied from the event type so that team listings need no join. */
    teamId: integer(),
    /** The organizer (the assigned host). */
    userId: integer().notNull(),
    hostIds: integer()
      .array()
      .notNull()
      .default(sql`'{}'::integer[]`),
    title: text().notNull(),
    description: text().notNull().default(""),
    start: timestamp({ withTimezone: true }).notNull(),
    end: timestamp({ withTimezone: true }).notNull(),
    status: text({ enum: SANDBOX_BOOKING_STATUSES }).notNull(),
    attendees: jsonb().$type<SandboxAttendee[]>().notNull(),
    guests: jsonb().$type<string[]>(),
    hosts: jsonb().$type<SandboxHost[]>().notNull(),
    location: text(),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    bookingFieldsResponses: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    cancellationReason: text(),
    cancelledByEmail: text(),
    rejectionReason: text(),
    reschedulingReason: text(),
    rescheduledByEmail: text(),
    rescheduledFromUid: text(),
    rescheduledToUid: text(),
    /** Recurring series (§8.8): every occurrence carries the series uid. */
    recurringBookingUid: text(),
    /** Cancelled by the host's "request reschedule" (§8.4): the attendee may still book a new time against it. */
    isRescheduleRequested: boolean().notNull().default(false),
    /** MEETING_STARTED/ENDED body as built when the booking was made (§8.5): sent later, frozen (noShow false). */
    meetingPayload: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [
    uniqueIndex("sandbox_bookings_uid").on(t.uid),
    index("sandbox_bookings_recurring")
      .on(t.recurringBookingUid)
      .where(sql`${t.recurringBookingUid} is not null`),
    index("sandbox_bookings_team_start").on(t.teamId, t.start),
    index("sandbox_bookings_user_start").on(t.userId, t.start),
    index("sandbox_bookings_event_type_start").on(t.eventTypeId, t.start),
    index("sandbox_bookings_updated").on(t.updatedAt),
    index("sandbox_bookings_start").on(t.start),
  ],
);
export type SandboxBooking = typeof sandboxBookings.$inferSelect;

/** Subscribers: a team's, a user's or one event type's (one of the three ids is set). */
export const sandboxWebhooks = pgTable(
  "sandbox_webhooks",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    teamId: integer(),
    userId: integer(),
    eventTypeId: integer(),
    subscriberUrl: text().notNull(),
    secret: text(),
    active: boolean().notNull().default(true),
    triggers: jsonb().$type<string[]>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index("sandbox_webhooks_team").on(t.teamId), index("sandbox_webhooks_user").on(t.userId)],
);
export type SandboxWebhook = typeof sandboxWebhooks.$inferSelect;

/** Faults and tunables (rate limit), key → JSON. Per-family fault rows let a forced-response count decrement atomically. */
export const sandboxSettings = pgTable("sandbox_settings", {
  key: text().primaryKey(),
  value: jsonb().$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});

/** One fixed window per API key hash or client IP, shared by every app instance. */
export const sandboxRateLimits = pgTable("sandbox_rate_limits", {
  key: text().primaryKey(),
  windowStart: timestamp({ withTimezone: true }).notNull(),
  hits: integer().notNull(),
  blockedUntil: timestamp({ withTimezone: true }),
});

/** How many /v2 requests reached the sandbox, per endpoint family (proves client-side caching and coalescing). */
export const sandboxRequestCounts = pgTable("sandbox_request_counts", {
  family: text().primaryKey(),
  count: bigint({ mode: "number" }).notNull().default(0),
  lastAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});

/** Every webhook delivery the sandbox attempted, with the outcome. */
export const sandboxWebhookDeliveries = pgTable(
  "sandbox_webhook_deliveries",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    webhookId: integer(),
    subscriberUrl: text().notNull(),
    triggerEvent: text().notNull(),
    bookingUid: text(),
    body: text().notNull(),
    signature: text().notNull(),
    statusCode: integer(),
    error: text(),
    durationMs: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index("sandbox_webhook_deliveries_id_desc").on(t.id)],
);
export type SandboxWebhookDelivery = typeof sandboxWebhookDeliveries.$inferSelect;
