import { now } from "@/lib/time/clock";
import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { appointments, companies, companyWebhookSecrets } from "./core";
import { WEBHOOK_STATUSES, WEBHOOK_VERDICTS } from "./webhook-values";

/**
 * The Cal.com webhook receiver (lib/webhooks). Cal.com keeps no delivery log, so webhook_deliveries is the only
 * durable record: every request is stored first, rejected ones too, then processed through the job queue.
 */

export {
  ACCEPTED_VERDICTS,
  WEBHOOK_STATUSES,
  WEBHOOK_VERDICTS,
  type WebhookStatus,
  type WebhookVerdict,
} from "./webhook-values";

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** Set by the receiver in milliseconds, so the keyset cursor round-trips exactly through JavaScript. */
    receivedAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    companyId: integer().references(() => companies.id, { onDelete: "set null" }),
    /** The {companySlug} of a pinned URL, as sent (kept even when no such company exists). */
    routeSlug: text(),
    contentType: text(),
    headers: jsonb().$type<Record<string, string>>().notNull(),
    /** Raw body as received (UTF-8); a prefix only when above the cap; null once purged by retention. */
    body: text(),
    bodyBytes: integer().notNull(),
    bodyTruncated: boolean().notNull().default(false),
    bodySha256: text(),
    bodyPurgedAt: timestamp({ withTimezone: true }),
    verdict: text({ enum: WEBHOOK_VERDICTS }).notNull(),
    verdictDetail: text().notNull(),
    /** {headerName, provided prefix, expected prefix, secret label, variant, candidates tried}. */
    verification: jsonb().$type<Record<string, unknown>>().notNull(),
    matchedSecretId: integer().references(() => companyWebhookSecrets.id, { onDelete: "set null" }),
    responseStatus: integer().notNull(),
    triggerEvent: text(),
    bookingUid: text(),
    bookingId: integer(),
    payloadCreatedAt: text(),
    dedupeKey: text(),
    status: text({ enum: WEBHOOK_STATUSES }).notNull(),
    /** Why it was ignored, what processing did, or the last error. */
    outcome: text(),
    attempts: integer().notNull().default(0),
    lastError: text(),
    processedAt: timestamp({ withTimezone: true }),
    duplicateOfId: bigint({ mode: "number" }),
    duplicateCount: integer().notNull().default(0),
    appointmentId: integer().references(() => appointments.id, { onDelete: "set null" }),
    /** A failed delivery's next automatic retry (the queue takes it again then); null = no more retries. */
    nextAttemptAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // The table is the processing queue: workers claim pending rows in id order through this small partial index.
    index("webhook_deliveries_queue")
      .on(t.id)
      .where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_retry")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'failed' and ${t.nextAttemptAt} is not null`),
    index("webhook_deliveries_received").on(t.receivedAt, t.id),
    index("webhook_deliveries_company_received").on(t.companyId, t.receivedAt, t.id),
    // The log's status and verdict filters look for the few rows that need attention; partial indexes serve them and
    // cost nothing on the hot path (a verified delivery that gets processed never enters them). Composite indexes
    // on status or verdict took an entry on every insert and every processing UPDATE (issue 14).
    index("webhook_deliveries_attention_received")
      .on(t.receivedAt, t.id)
      .where(sql`${t.status} in ('failed','rejected','duplicate','ignored')`),
    index("webhook_deliveries_refused_received")
      .on(t.receivedAt, t.id)
      .where(sql`${t.verdict} not in ('verified','verified_previous_secret','unsigned_allowed')`),
    index("webhook_deliveries_trigger_received").on(t.triggerEvent, t.receivedAt, t.id),
    index("webhook_deliveries_booking_received").on(t.bookingUid, t.receivedAt, t.id),
    index("webhook_deliveries_company_verified")
      .on(t.companyId, t.receivedAt)
      .where(sql`${t.verdict} in ('verified','verified_previous_secret','unsigned_allowed')`),
    // Processing lag over the last minutes (/api/metrics). Partial: a delivery enters it when processed, off ingest.
    index("webhook_deliveries_processed")
      .on(t.processedAt)
      .where(sql`${t.processedAt} is not null`),
    index("webhook_deliveries_purgeable")
      .on(t.receivedAt)
      .where(sql`${t.body} is not null`),
  ],
);
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

/** One row per processing attempt (job run or reprocess). */
export const webhookDeliveryAttempts = pgTable(
  "webhook_delivery_attempts",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    deliveryId: bigint({ mode: "number" })
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer().notNull(),
    jobId: text(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }).notNull(),
    status: text({ enum: WEBHOOK_STATUSES }).notNull(),
    outcome: text(),
    error: text(),
  },
  (t) => [index("webhook_delivery_attempts_delivery").on(t.deliveryId, t.id)],
);
export type WebhookDeliveryAttempt = typeof webhookDeliveryAttempts.$inferSelect;

/**
 * Exactly-once: the first delivery that inserts a dedupe key applies its effect in the same transaction. A concurrent
 * insert of the same key waits on the unique index and then finds it taken, so a repeat is only ever a duplicate.
 */
export const webhookEffects = pgTable("webhook_effects", {
  dedupeKey: text().primaryKey(),
  companyId: integer().references(() => companies.id, { onDelete: "cascade" }),
  deliveryId: bigint({ mode: "number" })
    .notNull()
    .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
  appliedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});

/** The appointment before and after each change a delivery made. */
export const webhookAppointmentChanges = pgTable(
  "webhook_appointment_changes",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    deliveryId: bigint({ mode: "number" })
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    appointmentId: integer().references(() => appointments.id, { onDelete: "cascade" }),
    companyId: integer().references(() => companies.id, { onDelete: "cascade" }),
    bookingUid: text().notNull(),
    change: text().notNull(),
    before: jsonb().$type<Record<string, unknown> | null>(),
    after: jsonb().$type<Record<string, unknown> | null>(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [
    index("webhook_appointment_changes_delivery").on(t.deliveryId),
    index("webhook_appointment_changes_appointment").on(t.appointmentId, t.id),
  ],
);

/** Reschedule chain: Cal.com gives the new booking a new uid; rescheduleUid names the old one. */
export const webhookRescheduleLinks = pgTable(
  "webhook_reschedule_links",
  {
    fromUid: text().primaryKey(),
    toUid: text().notNull(),
    companyId: integer().references(() => companies.id, { onDelete: "cascade" }),
    deliveryId: bigint({ mode: "number" }).references(() => webhookDeliveries.id, { onDelete: "set null" }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index("webhook_reschedule_links_to").on(t.toUid)],
);

/** Bookings made in Cal.com whose event type maps to no service: parked, visible in the log, not lost. */
export const webhookUnmatchedBookings = pgTable(
  "webhook_unmatched_bookings",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    bookingUid: text().notNull(),
    bookingId: integer(),
    eventTypeId: integer(),
    status: text().notNull(),
    startsAt: timestamp({ withTimezone: true }),
    endsAt: timestamp({ withTimezone: true }),
    attendeeEmail: text(),
    lastDeliveryId: bigint({ mode: "number" }).references(() => webhookDeliveries.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [
    uniqueIndex("webhook_unmatched_bookings_uid").on(t.bookingUid),
    index("webhook_unmatched_bookings_company").on(t.companyId, t.id),
  ],
);

/** MEETING_STARTED / MEETING_ENDED: attendance per booking (the appointment status moves on MEETING_ENDED). */
export const webhookMeetingAttendance = pgTable("webhook_meeting_attendance", {
  bookingUid: text().primaryKey(),
  companyId: integer().references(() => companies.id, { onDelete: "cascade" }),
  appointmentId: integer().references(() => appointments.id, { onDelete: "set null" }),
  startedAt: timestamp({ withTimezone: true }),
  endedAt: timestamp({ withTimezone: true }),
  noShowEmails: jsonb().$type<string[]>().notNull().default([]),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});

/** Per-company receiver settings (absent row = defaults). */
export const webhookSettings = pgTable("webhook_settings", {
  companyId: integer()
    .primaryKey()
    .references(() => companies.id, { onDelete: "cascade" }),
  /** Explicitly configured without a secret: accept `no-secret-provided` (the panel warns). */
  allowUnsigned: boolean().notNull().default(false),
  /** Unsigned MEETING_STARTED/ENDED (Cal.com omits the signature when its webhook row is gone, contract §8.5): apply them. */
  applyUnverifiedMeetings: boolean().notNull().default(false),
  silenceThresholdMinutes: integer().notNull().default(1440),
  payloadRetentionDays: integer().notNull().default(30),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});
export type WebhookSettings = typeof webhookSettings.$inferSelect;

/** A bulk reprocess: the delivery ids it covers, so its progress can be read while the jobs run. */
export const webhookReprocessRuns = pgTable(
  "webhook_reprocess_runs",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    requestedBy: text().notNull(),
    filter: jsonb().$type<Record<string, unknown>>().notNull(),
    deliveryIds: jsonb().$type<number[]>().notNull(),
    total: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index("webhook_reprocess_runs_created").on(t.createdAt)],
);
