import { now } from "@/lib/time/clock";
import { sql } from "drizzle-orm";
import { bigint, boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { companies } from "./core";

export const CIRCUIT_STATES = ["closed", "open", "half_open"] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

/** One row per company: the breaker's state is shared by every app instance through row locks. */
export const circuitBreakers = pgTable("circuit_breakers", {
  companyId: integer()
    .primaryKey()
    .references(() => companies.id, { onDelete: "cascade" }),
  state: text({ enum: CIRCUIT_STATES }).notNull().default("closed"),
  consecutiveFailures: integer().notNull().default(0),
  openedAt: timestamp({ withTimezone: true }),
  openUntil: timestamp({ withTimezone: true }),
  /** Maintenance: an operator holds the circuit open until this time. */
  forcedOpenUntil: timestamp({ withTimezone: true }),
  halfOpenInFlight: integer().notNull().default(0),
  halfOpenStartedAt: timestamp({ withTimezone: true }),
  failureThreshold: integer().notNull().default(5),
  openSeconds: integer().notNull().default(60),
  halfOpenMaxCalls: integer().notNull().default(2),
  lastFailureCode: text(),
  lastFailureStatus: integer(),
  lastFailureMessage: text(),
  lastFailureAt: timestamp({ withTimezone: true }),
  lastSuccessAt: timestamp({ withTimezone: true }),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});
export type CircuitBreakerRow = typeof circuitBreakers.$inferSelect;

export const circuitEvents = pgTable(
  "circuit_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    fromState: text({ enum: CIRCUIT_STATES }).notNull(),
    toState: text({ enum: CIRCUIT_STATES }).notNull(),
    reason: text().notNull(),
    /** null for automatic transitions; the operator's label for reset / force-open. */
    actorLabel: text(),
  },
  (t) => [index("circuit_events_company_id").on(t.companyId, t.id), index("circuit_events_at").on(t.at)],
);
export type CircuitEvent = typeof circuitEvents.$inferSelect;

/** Token buckets per API key (hashed), shared by all instances; blockedUntil mirrors Cal.com's 60 s block. */
export const rateLimitBuckets = pgTable("rate_limit_buckets", {
  key: text().primaryKey(),
  tokens: doublePrecision().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  blockedUntil: timestamp({ withTimezone: true }),
  upstreamLimit: integer(),
  upstreamRemaining: integer(),
  upstreamResetAt: timestamp({ withTimezone: true }),
});

export const apiCache = pgTable(
  "api_cache",
  {
    key: text().primaryKey(),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    /** What a write invalidates, e.g. "slots:3757770". */
    scope: text().notNull(),
    value: jsonb().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("api_cache_company_scope").on(t.companyId, t.scope), index("api_cache_expires").on(t.expiresAt)],
);

export const apiCalls = pgTable(
  "api_calls",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    family: text().notNull(),
    method: text().notNull(),
    pathTemplate: text().notNull(),
    status: integer(),
    durationMs: integer().notNull(),
    calCode: text(),
    breakerState: text({ enum: CIRCUIT_STATES }).notNull(),
    isCacheHit: boolean().notNull().default(false),
    attempts: integer().notNull().default(1),
    error: text(),
    details: jsonb().$type<Record<string, unknown>>(),
    /** What the call was for, set by the booking flow: "idem:<idempotency key>", "uid:<booking uid>" (booking timeline). */
    correlation: text(),
  },
  (t) => [
    index("api_calls_at").on(t.at),
    index("api_calls_company_correlation")
      .on(t.companyId, t.correlation, t.id)
      .where(sql`${t.correlation} is not null`),
    index("api_calls_company_at").on(t.companyId, t.at),
    index("api_calls_failed_at")
      .on(t.at)
      .where(sql`${t.calCode} is not null`),
  ],
);
export type ApiCall = typeof apiCalls.$inferSelect;
