import { now } from "@/lib/time/clock";
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { appointments, companies } from "./core";

/** What a reconciliation finds (troubleshooting guide, "Data Integrity Issues"). */
export const RECONCILE_CLASSES = [
  "missing_in_calcom", // confirmed (or pending) locally, no Cal.com booking
  "missing_locally", // an active Cal.com booking with no local appointment (orphaned booking)
  "status_mismatch",
  "time_mismatch",
  "event_type_mismatch",
  "duplicate_calcom", // the same slot booked twice at Cal.com
  "duplicate_local", // the same appointment recorded twice locally
] as const;
export type ReconcileClass = (typeof RECONCILE_CLASSES)[number];

/** adopt = take Cal.com's state locally; push = make Cal.com match ours; link = connect the pair; ignore = accept it. */
export const RECONCILE_FIXES = ["adopt", "push", "link", "ignore"] as const;
export type ReconcileFix = (typeof RECONCILE_FIXES)[number];

export const RECONCILE_RUN_STATUSES = ["queued", "running", "completed", "failed"] as const;
export type ReconcileRunStatus = (typeof RECONCILE_RUN_STATUSES)[number];
export const RECONCILE_ITEM_STATUSES = ["open", "fixed", "ignored", "failed"] as const;
export type ReconcileItemStatus = (typeof RECONCILE_ITEM_STATUSES)[number];

export const reconcileRuns = pgTable(
  "reconcile_runs",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    status: text({ enum: RECONCILE_RUN_STATUSES }).notNull().default("queued"),
    mode: text({ enum: ["full", "incremental"] }).notNull(),
    rangeFrom: timestamp({ withTimezone: true }).notNull(),
    rangeTo: timestamp({ withTimezone: true }).notNull(),
    /** Incremental runs: Cal.com's afterUpdatedAt (the previous completed run's start). */
    updatedSince: timestamp({ withTimezone: true }),
    actorLabel: text().notNull(),
    /** Items found per class. */
    counts: jsonb().$type<Partial<Record<ReconcileClass, number>>>().notNull().default({}),
    remoteCount: integer().notNull().default(0),
    localCount: integer().notNull().default(0),
    pages: integer().notNull().default(0),
    /** Single-booking look-ups (GET /v2/bookings/{uid}) for linked appointments Cal.com's list did not return. */
    lookups: integer().notNull().default(0),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("reconcile_runs_company_id").on(t.companyId, t.id), index("reconcile_runs_id_desc").on(t.id)],
);
export type ReconcileRun = typeof reconcileRuns.$inferSelect;

/** One entry per differing field; `expected` is what Cal.com should say for our value (status only). */
export type ReconcileDiff = { field: string; local: unknown; calcom: unknown; expected?: unknown }[];
export type LocalSnapshot = {
  id: number;
  status: string;
  startsAt: string;
  endsAt: string;
  eventTypeId: number | null;
  bookingUid: string | null;
  attendeeName: string | null;
  attendeeEmail: string | null;
};
export type RemoteSnapshot = {
  uid: string;
  id: number;
  status: string;
  start: string;
  end: string;
  eventTypeId: number | null;
  attendeeName: string | null;
  attendeeEmail: string | null;
  linkedAppointmentId?: number | null;
};
/** Duplicates list every member; missing items may carry a link candidate on the other side. */
export type ItemRelated = {
  appointments?: LocalSnapshot[];
  bookings?: RemoteSnapshot[];
  candidateAppointmentId?: number;
  candidateBookingUid?: string;
};

export const reconcileItems = pgTable(
  "reconcile_items",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    runId: bigint({ mode: "number" })
      .notNull()
      .references(() => reconcileRuns.id, { onDelete: "cascade" }),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    class: text({ enum: RECONCILE_CLASSES }).notNull(),
    status: text({ enum: RECONCILE_ITEM_STATUSES }).notNull().default("open"),
    appointmentId: integer().references(() => appointments.id, { onDelete: "set null" }),
    bookingUid: text(),
    diff: jsonb().$type<ReconcileDiff>().notNull().default([]),
    local: jsonb().$type<LocalSnapshot>(),
    calcom: jsonb().$type<RemoteSnapshot>(),
    related: jsonb().$type<ItemRelated>(),
    fix: text({ enum: RECONCILE_FIXES }),
    resolvedAt: timestamp({ withTimezone: true }),
    resolvedBy: text(),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [
    index("reconcile_items_run_class_id").on(t.runId, t.class, t.id),
    index("reconcile_items_run_status_id").on(t.runId, t.status, t.id),
    index("reconcile_items_appointment").on(t.appointmentId),
    index("reconcile_items_booking_uid").on(t.bookingUid),
  ],
);
export type ReconcileItem = typeof reconcileItems.$inferSelect;

/**
 * Cal.com's bookings for one run, written page by page as they arrive, so the comparison joins in PostgreSQL instead
 * of holding a range's bookings in memory. Deleted when the run finishes.
 */
export const reconcileRemoteBookings = pgTable(
  "reconcile_remote_bookings",
  {
    runId: bigint({ mode: "number" })
      .notNull()
      .references(() => reconcileRuns.id, { onDelete: "cascade" }),
    uid: text().notNull(),
    bookingId: integer().notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    status: text().notNull(),
    eventTypeId: integer(),
    attendeeName: text(),
    attendeeEmail: text(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.uid] }),
    index("reconcile_remote_run_start").on(t.runId, t.startsAt, t.uid),
  ],
);
