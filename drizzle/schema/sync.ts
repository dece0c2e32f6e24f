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
import { companies, services, users } from "./core";

/** The local mirror of each company's team event types, as the last live sync saw them. */
export const syncEventTypes = pgTable(
  "sync_event_types",
  {
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    eventTypeId: integer().notNull(),
    teamId: integer(),
    slug: text().notNull(),
    title: text().notNull(),
    lengthInMinutes: integer().notNull(),
    beforeEventBuffer: integer(),
    afterEventBuffer: integer(),
    minimumBookingNotice: integer(),
    isHidden: boolean().notNull().default(false),
    bookingFields: jsonb().$type<unknown[]>().notNull().default([]),
    /** In the team list of the last live run. */
    isPresent: boolean().notNull().default(true),
    firstSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    lastSeenRunId: bigint({ mode: "number" }),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.eventTypeId] })],
);
export type SyncEventType = typeof syncEventTypes.$inferSelect;

export const SYNC_TRIGGERS = ["schedule", "manual", "api"] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];
export const SYNC_RUN_STATUSES = ["running", "succeeded", "aborted", "failed"] as const;
export type SyncRunStatus = (typeof SYNC_RUN_STATUSES)[number];

export type SyncCounts = {
  found: number;
  matched: number;
  new: number;
  missing: number;
  orphaned: number;
  deactivated: number;
  errors: number;
};

export const DIFF_KINDS = [
  "matched",
  "linked_by_name",
  "new",
  "missing",
  "orphaned",
  "would_deactivate",
  "deactivated",
  "recovered",
  "unmatched",
  /** An event type whose mirrored settings (title, length, buffers, notice, hidden, booking fields) changed. */
  "changed",
  /** An event type no service uses that left the team list since the last live run. */
  "removed",
] as const;
export type DiffKind = (typeof DIFF_KINDS)[number];
export type OrphanReason = "not_in_team_list" | "hidden" | "deleted" | "moved";

/** One line of a run's diff: what the run saw for one service or event type, and what it did (or would do). */
export type SyncDiffItem = {
  kind: DiffKind;
  serviceId?: number;
  serviceName?: string;
  eventTypeId?: number;
  eventTypeTitle?: string;
  reason?: OrphanReason;
  misses?: number;
  note?: string;
};

export const syncRuns = pgTable(
  "sync_runs",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    trigger: text({ enum: SYNC_TRIGGERS }).notNull(),
    actorLabel: text().notNull(),
    actorUserId: integer().references(() => users.id, { onDelete: "set null" }),
    isCheckOnly: boolean().notNull().default(false),
    status: text({ enum: SYNC_RUN_STATUSES }).notNull().default("running"),
    /** What the run is doing now, for the panel while it runs. */
    phase: text().notNull().default("starting"),
    /** Why a run was aborted or failed. */
    reason: text(),
    /** Whether the orphan share guard stopped deactivations in this run. */
    isShareGuardTripped: boolean().notNull().default(false),
    counts: jsonb()
      .$type<SyncCounts>()
      .notNull()
      .default({ found: 0, matched: 0, new: 0, missing: 0, orphaned: 0, deactivated: 0, errors: 0 }),
    diff: jsonb().$type<SyncDiffItem[]>().notNull().default([]),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    heartbeatAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // One run per company at a time, across all instances: a second insert conflicts here.
    uniqueIndex("sync_runs_one_running")
      .on(t.companyId)
      .where(sql`${t.status} = 'running'`),
    index("sync_runs_company_id").on(t.companyId, t.id),
    index("sync_runs_id_desc").on(t.id),
  ],
);
export type SyncRun = typeof syncRuns.$inferSelect;

export const SERVICE_SYNC_STATUSES = ["ok", "missing", "pending_review", "snoozed", "deactivated"] as const;
export type ServiceSyncStatus = (typeof SERVICE_SYNC_STATUSES)[number];

/** Per-service sync state: consecutive misses, provenance of an orphan, review and snooze. */
export const syncServiceStates = pgTable(
  "sync_service_states",
  {
    serviceId: integer()
      .primaryKey()
      .references(() => services.id, { onDelete: "cascade" }),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    status: text({ enum: SERVICE_SYNC_STATUSES }).notNull().default("ok"),
    /** Consecutive live runs that did not find the service's event type. */
    missCount: integer().notNull().default(0),
    missedRunIds: jsonb().$type<number[]>().notNull().default([]),
    reason: text().$type<OrphanReason>(),
    reasonDetails: jsonb().$type<Record<string, unknown>>(),
    /** The event type id the misses refer to. */
    eventTypeId: integer(),
    eventTypeLastSeenAt: timestamp({ withTimezone: true }),
    /** Why it is in review: "three_misses" or "share_guard". */
    reviewCause: text(),
    reviewSince: timestamp({ withTimezone: true }),
    snoozedUntil: timestamp({ withTimezone: true }),
    deactivatedBy: text(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index("sync_service_states_company_status").on(t.companyId, t.status)],
);
export type SyncServiceState = typeof syncServiceStates.$inferSelect;

export const syncSettings = pgTable("sync_settings", {
  companyId: integer()
    .primaryKey()
    .references(() => companies.id, { onDelete: "cascade" }),
  isScheduleEnabled: boolean().notNull().default(true),
  intervalMinutes: integer().notNull().default(30),
  /** Percent of active mapped services that may go missing in one run before the guard stops everything. */
  orphanSharePercent: integer().notNull().default(20),
  /** Opt-in: orphans (3 misses, under the share guard) are deactivated without a person. */
  isAutoDeactivate: boolean().notNull().default(false),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});
export type SyncSettings = typeof syncSettings.$inferSelect;
