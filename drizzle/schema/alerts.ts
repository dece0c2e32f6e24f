import { now } from "@/lib/time/clock";
import { sql } from "drizzle-orm";
import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { companies, users } from "./core";

export const ALERT_SEVERITIES = ["info", "warning", "critical"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export const ALERT_STATUSES = ["open", "acknowledged", "resolved"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/**
 * One row per occurrence of a condition: opened when it starts, acknowledged by a person, resolved when the
 * condition clears. While unresolved, raising the same (company, kind, key) again only bumps lastSeenAt/occurrences.
 */
export const alerts = pgTable(
  "alerts",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    companyId: integer().references(() => companies.id, { onDelete: "cascade" }),
    /** e.g. sync_aborted, sync_orphan_share, webhook_silence, api_success_rate, circuit_trips, manual_queue_age. */
    kind: text().notNull(),
    /** Distinguishes several open alerts of one kind (e.g. a service id); "" when there is only one. */
    key: text().notNull().default(""),
    severity: text({ enum: ALERT_SEVERITIES }).notNull(),
    status: text({ enum: ALERT_STATUSES }).notNull().default("open"),
    title: text().notNull(),
    message: text().notNull(),
    details: jsonb().$type<Record<string, unknown>>(),
    occurrences: integer().notNull().default(1),
    openedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    acknowledgedAt: timestamp({ withTimezone: true }),
    acknowledgedBy: integer().references(() => users.id, { onDelete: "set null" }),
    resolvedAt: timestamp({ withTimezone: true }),
    resolvedReason: text(),
  },
  (t) => [
    uniqueIndex("alerts_one_unresolved")
      .on(sql`coalesce(${t.companyId}, 0)`, t.kind, t.key)
      .where(sql`${t.status} <> 'resolved'`),
    index("alerts_status_id").on(t.status, t.id),
    index("alerts_company_id").on(t.companyId, t.id),
  ],
);
export type Alert = typeof alerts.$inferSelect;

/** Per-company thresholds; a company without a row uses the defaults (the troubleshooting guide's numbers). */
export const alertSettings = pgTable("alert_settings", {
  companyId: integer()
    .primaryKey()
    .references(() => companies.id, { onDelete: "cascade" }),
  /** API success rate over the window, in percent; alert below. */
  successRateMinPct: doublePrecision().notNull().default(95),
  /** Average latency over the window; alert above. */
  avgLatencyMaxMs: integer().notNull().default(1000),
  /** Circuit openings in the last hour; alert above. */
  circuitTripsPerHourMax: integer().notNull().default(5),
  /** The window the rate and latency are computed over, and the fewest calls that make them meaningful. */
  windowMinutes: integer().notNull().default(15),
  minCalls: integer().notNull().default(20),
  /** No successful event-type sync for this long. */
  syncStaleMinutes: integer().notNull().default(120),
  /** The oldest booking waiting for manual booking is older than this. */
  manualQueueMaxAgeMinutes: integer().notNull().default(30),
  /** After our own booking, cancel or reschedule, Cal.com's webhook is expected within this many minutes (watchdog). */
  webhookDeadlineMinutes: integer().notNull().default(5),
  /** Where notifications of newly opened alerts go (outbox): an email address or an https webhook URL. */
  notifyEmail: text(),
  notifyWebhookUrl: text(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});
export type AlertSettings = typeof alertSettings.$inferSelect;
