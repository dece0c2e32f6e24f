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
import { appointments, companies, services, users } from "./core";

/**
 * The booking flow's own tables: service-name aliases, slot claims (one live booking request per slot across all
 * instances), the manual-booking queue used while Cal.com is unavailable, the per-company fallback mode, the chain of
 * uids a rescheduled appointment went through, and the notification outbox.
 */

/** Extra names a caller may use for a service ("Männerhaarschnitt" for "Herrenhaarschnitt"). */
export const serviceAliases = pgTable(
  "service_aliases",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    serviceId: integer()
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    alias: text().notNull(),
    /** foldServiceName(alias): what lookups compare. */
    normalized: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [
    uniqueIndex("service_aliases_company_normalized").on(t.companyId, t.normalized),
    index("service_aliases_service").on(t.serviceId),
  ],
);
export type ServiceAlias = typeof serviceAliases.$inferSelect;

/**
 * A slot is claimed by the appointment that asked for it before Cal.com is called; the primary key makes a request
 * beyond the slot's capacity fail on every instance. A round-robin event type with three hosts has seats 0..2 (three
 * people can book 10:00); everything else has seat 0 only. Released on cancel, reschedule and refusal.
 */
export const bookingSlotClaims = pgTable(
  "booking_slot_claims",
  {
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    eventTypeId: integer().notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    seat: integer().notNull().default(0),
    appointmentId: integer()
      .notNull()
      .references(() => appointments.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.eventTypeId, t.startsAt, t.seat] }),
    index("booking_slot_claims_appointment").on(t.appointmentId),
  ],
);

export const MANUAL_BOOKING_STATES = ["open", "claimed", "booked", "conflict", "cancelled"] as const;
export type ManualBookingState = (typeof MANUAL_BOOKING_STATES)[number];
export const MANUAL_BOOKING_REASONS = ["circuit_open", "calcom_failing", "fallback_mode"] as const;
export type ManualBookingReason = (typeof MANUAL_BOOKING_REASONS)[number];

/** What the caller said beyond the attendee, kept so a later booking sends the same answers. */
export type ManualBookingRequest = { notes?: string; bookingFieldsResponses?: Record<string, unknown> };

/** A booking request Cal.com could not take; never lost: a person or the recovery job books it. */
export const manualBookings = pgTable(
  "manual_bookings",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    appointmentId: integer()
      .notNull()
      .unique()
      .references(() => appointments.id, { onDelete: "cascade" }),
    reasonCode: text({ enum: MANUAL_BOOKING_REASONS }).notNull(),
    reason: text().notNull(),
    /** The request's notes and booking-field answers (null for requests stranded before they were recorded). */
    request: jsonb().$type<ManualBookingRequest>(),
    state: text({ enum: MANUAL_BOOKING_STATES }).notNull().default("open"),
    claimedByUserId: integer().references(() => users.id, { onDelete: "set null" }),
    claimedByLabel: text(),
    claimedAt: timestamp({ withTimezone: true }),
    attempts: integer().notNull().default(0),
    lastAttemptAt: timestamp({ withTimezone: true }),
    lastError: text(),
    /** Why a person must decide (slot taken, time passed, Cal.com refused the request). */
    conflictReason: text(),
    resolvedAt: timestamp({ withTimezone: true }),
    resolvedByLabel: text(),
    resolution: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [
    index("manual_bookings_state_id").on(t.state, t.id),
    index("manual_bookings_company_state_id").on(t.companyId, t.state, t.id),
  ],
);
export type ManualBooking = typeof manualBookings.$inferSelect;

/** Fallback mode: every booking request of the company goes to the manual queue until it expires. */
export const bookingFallbackModes = pgTable("booking_fallback_modes", {
  companyId: integer()
    .primaryKey()
    .references(() => companies.id, { onDelete: "cascade" }),
  isEnabled: boolean().notNull().default(false),
  reason: text(),
  expiresAt: timestamp({ withTimezone: true }),
  setByLabel: text(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});
export type BookingFallbackMode = typeof bookingFallbackModes.$inferSelect;

/** Each reschedule gives the booking a new uid in Cal.com; the appointment keeps the chain. */
export const bookingUidHistory = pgTable(
  "booking_uid_history",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    appointmentId: integer()
      .notNull()
      .references(() => appointments.id, { onDelete: "cascade" }),
    fromUid: text().notNull(),
    toUid: text().notNull(),
    fromStartsAt: timestamp({ withTimezone: true }).notNull(),
    toStartsAt: timestamp({ withTimezone: true }).notNull(),
    reason: text(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [
    index("booking_uid_history_appointment").on(t.appointmentId, t.id),
    index("booking_uid_history_from_uid").on(t.fromUid),
  ],
);
export type BookingUidHistory = typeof bookingUidHistory.$inferSelect;

export const OUTBOX_CHANNELS = ["email", "webhook"] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];
export const OUTBOX_STATES = ["pending", "sent", "dead"] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** Notifications written in the same transaction as their cause, delivered by a job with retries. */
export const outboxMessages = pgTable(
  "outbox_messages",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    companyId: integer().references(() => companies.id, { onDelete: "set null" }),
    channel: text({ enum: OUTBOX_CHANNELS }).notNull(),
    recipient: text().notNull(),
    topic: text().notNull(),
    subject: text().notNull(),
    body: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>(),
    dedupeKey: text(),
    state: text({ enum: OUTBOX_STATES }).notNull().default("pending"),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    lastError: text(),
    sentAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [
    index("outbox_messages_due").on(t.state, t.nextAttemptAt),
    index("outbox_messages_id_desc").on(t.id),
    index("outbox_messages_company_id").on(t.companyId, t.id),
    uniqueIndex("outbox_messages_dedupe")
      .on(t.channel, t.recipient, t.dedupeKey)
      .where(sql`${t.dedupeKey} is not null`),
  ],
);
export type OutboxMessage = typeof outboxMessages.$inferSelect;
