import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { appointments, companies } from "./core";

/**
 * Operations: the expected-webhook watchdog (lib/watchdog) and the totals Prometheus keeps counting after the call
 * log's retention deletes old rows (lib/prometheus).
 */

export const EXPECTATION_ACTIONS = ["create", "cancel", "reschedule"] as const;
export type ExpectationAction = (typeof EXPECTATION_ACTIONS)[number];
/**
 * pending: waiting within the deadline; met: the webhook came; missed: the deadline passed without it (a late arrival
 * turns it into met, with metAt after deadlineAt); wrong_trigger: a webhook for the booking came with another trigger;
 * unexpected: a cancel or reschedule of one of our bookings that we did not make.
 */
export const EXPECTATION_STATUSES = ["pending", "met", "missed", "wrong_trigger", "unexpected"] as const;
export type ExpectationStatus = (typeof EXPECTATION_STATUSES)[number];

export const webhookExpectations = pgTable(
  "webhook_expectations",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    appointmentId: integer().references(() => appointments.id, { onDelete: "set null" }),
    action: text({ enum: EXPECTATION_ACTIONS }).notNull(),
    /** The uid the webhook names: the new booking's (create), the booking's (cancel), the old one (reschedule: rescheduleUid). */
    bookingUid: text().notNull(),
    /** Triggers that count as the answer (a booking that needs confirmation is announced as BOOKING_REQUESTED). */
    triggers: jsonb().$type<string[]>().notNull(),
    status: text({ enum: EXPECTATION_STATUSES }).notNull().default("pending"),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deadlineAt: timestamp({ withTimezone: true }).notNull(),
    metAt: timestamp({ withTimezone: true }),
    deliveryId: bigint({ mode: "number" }),
    /** The trigger that actually came (wrong_trigger, unexpected). */
    actualTrigger: text(),
  },
  (t) => [
    index("webhook_expectations_status_deadline").on(t.status, t.deadlineAt),
    index("webhook_expectations_company_uid").on(t.companyId, t.bookingUid),
    index("webhook_expectations_company_created").on(t.companyId, t.createdAt),
    index("webhook_expectations_appointment").on(t.appointmentId),
  ],
);
export type WebhookExpectation = typeof webhookExpectations.$inferSelect;

/** The last check of each company's Cal.com webhook subscription (GET /v2/webhooks) against what we need. */
export const webhookSubscriptionChecks = pgTable("webhook_subscription_checks", {
  companyId: integer()
    .primaryKey()
    .references(() => companies.id, { onDelete: "cascade" }),
  checkedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  isOk: boolean().notNull(),
  issues: jsonb().$type<{ code: string; message: string }[]>().notNull().default([]),
  webhooks: jsonb().$type<Record<string, unknown>[]>().notNull().default([]),
  error: text(),
});
export type WebhookSubscriptionCheck = typeof webhookSubscriptionChecks.$inferSelect;

/**
 * What retention deleted from api_calls, summed per (company, family, status): added to the live rows at scrape
 * time so the Prometheus counters and the latency histogram never go down.
 */
export const apiCallPrunedTotals = pgTable(
  "api_call_pruned_totals",
  {
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    family: text().notNull(),
    /** HTTP status as text, "none" when no answer came (network error, circuit open). */
    status: text().notNull(),
    calls: bigint({ mode: "number" }).notNull().default(0),
    durationMsSum: bigint({ mode: "number" }).notNull().default(0),
    /** Cumulative counts per latency bucket (lib/prometheus/buckets.ts), same order. */
    buckets: jsonb()
      .$type<number[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.family, t.status] })],
);

/**
 * The live call log summed per company, endpoint family and status label, with the same cumulative latency buckets as
 * api_call_pruned_totals. The rollup trigger on api_calls keeps it equal to the log at every commit (an INSERT adds,
 * a DELETE subtracts, migration 0022), so /api/metrics reads these rows and the pruned totals, a few per company,
 * instead of aggregating the whole log on every scrape.
 */
export const apiCallLiveTotals = pgTable(
  "api_call_live_totals",
  {
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    family: text().notNull(),
    /** lib/prometheus/call-totals.ts STATUS_LABEL_SQL: HTTP status, none, cache or circuit_open. */
    status: text().notNull(),
    calls: bigint({ mode: "number" }).notNull(),
    durationMsSum: bigint({ mode: "number" }).notNull(),
    /** Cumulative counts per latency bucket, in LATENCY_BUCKETS_MS order. */
    buckets: bigint({ mode: "number" }).array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.family, t.status] })],
);
