import { now } from "@/lib/time/clock";
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const users = pgTable("users", {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  email: text().notNull().unique(),
  name: text(),
  passwordHash: text().notNull(),
  role: text({ enum: ROLES }).notNull().default("viewer"),
  isDisabled: boolean().notNull().default(false),
  /** Raised by a password reset, role change or disable: sessions signed with an older version end. */
  sessionVersion: integer().notNull().default(0),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
});
export type User = typeof users.$inferSelect;

export const companies = pgTable(
  "companies",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    slug: text().notNull().unique(),
    timeZone: text().notNull().default("Europe/Berlin"),
    /** The default company takes its Cal.com settings from the environment when they are set. */
    isDefault: boolean().notNull().default(false),
    /** null = the built-in sandbox. */
    calcomApiUrl: text(),
    calcomApiKeyEnc: text(),
    calcomApiKeyLast4: text(),
    calcomTeamId: integer(),
    calcomTeamSlug: text(),
    calcomOrganizationId: integer(),
    /** Per-family cal-api-version overrides, e.g. {"bookings":"2026-02-25"}. */
    calcomApiVersions: jsonb().$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [
    uniqueIndex("companies_one_default")
      .on(t.isDefault)
      .where(sql`${t.isDefault}`),
  ],
);
export type Company = typeof companies.$inferSelect;

export const companyWebhookSecrets = pgTable(
  "company_webhook_secrets",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    label: text().notNull(),
    secretEnc: text().notNull(),
    secretLast4: text().notNull(),
    isActive: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index("company_webhook_secrets_company").on(t.companyId)],
);
export type CompanyWebhookSecret = typeof companyWebhookSecrets.$inferSelect;

export const branches = pgTable(
  "branches",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index("branches_company").on(t.companyId)],
);
export type Branch = typeof branches.$inferSelect;

export const services = pgTable(
  "services",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    branchId: integer().references(() => branches.id, { onDelete: "set null" }),
    name: text().notNull(),
    calcomEventTypeId: integer(),
    durationMinutes: integer().notNull(),
    price: numeric({ precision: 10, scale: 2 }),
    isActive: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [
    index("services_company_active").on(t.companyId, t.isActive),
    index("services_event_type").on(t.calcomEventTypeId),
  ],
);
export type Service = typeof services.$inferSelect;

export const staff = pgTable(
  "staff",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    branchId: integer().references(() => branches.id, { onDelete: "set null" }),
    name: text().notNull(),
    email: text(),
    calcomUserId: integer(),
    calcomUsername: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [index("staff_company").on(t.companyId)],
);
export type Staff = typeof staff.$inferSelect;

export const APPOINTMENT_STATUSES = [
  "pending",
  "confirmed",
  "cancelled",
  "rejected",
  "completed",
  "no_show",
  "requires_manual_booking",
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const SYNC_STATUSES = ["synced", "pending", "failed", "not_synced"] as const;

export const appointments = pgTable(
  "appointments",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    serviceId: integer().references(() => services.id, { onDelete: "set null" }),
    staffId: integer().references(() => staff.id, { onDelete: "set null" }),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    timeZone: text().notNull(),
    status: text({ enum: APPOINTMENT_STATUSES }).notNull(),
    attendeeName: text(),
    attendeeEmail: text(),
    attendeePhone: text(),
    calcomBookingId: integer(),
    calcomBookingUid: text(),
    calcomEventTypeId: integer(),
    syncStatus: text({ enum: SYNC_STATUSES }).notNull().default("not_synced"),
    syncError: text(),
    idempotencyKey: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
  },
  (t) => [
    index("appointments_company_id").on(t.companyId, t.id),
    index("appointments_company_starts").on(t.companyId, t.startsAt),
    index("appointments_company_status_id").on(t.companyId, t.status, t.id),
    uniqueIndex("appointments_booking_uid").on(t.calcomBookingUid),
    uniqueIndex("appointments_idempotency").on(t.companyId, t.idempotencyKey),
  ],
);
export type Appointment = typeof appointments.$inferSelect;

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    actorUserId: integer().references(() => users.id, { onDelete: "set null" }),
    /** Email of the user, or "ops-token" / "system"; kept even if the user is deleted. */
    actorLabel: text().notNull(),
    action: text().notNull(),
    targetType: text().notNull(),
    targetId: text(),
    companyId: integer().references(() => companies.id, { onDelete: "set null" }),
    reason: text(),
    details: jsonb().$type<Record<string, unknown>>(),
  },
  (t) => [
    index("audit_log_id_desc").on(t.id),
    index("audit_log_company_id").on(t.companyId, t.id),
    index("audit_log_action_id").on(t.action, t.id),
    index("audit_log_target_id").on(t.targetType, t.targetId, t.id),
  ],
);
export type AuditEntry = typeof auditLog.$inferSelect;
