import { now } from "@/lib/time/clock";
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { companies } from "./core";

/**
 * Slot queries as they were answered: what a caller (phone agent, panel, CLI) was offered at a given time, so that
 * support can answer "what did the caller hear at 10:42?". Newest first by id (keyset), pruned after
 * SLOT_QUERY_RETENTION_DAYS (lib/slots/recent-queries.ts).
 */
export const SLOT_QUERY_SOURCES = ["panel", "api", "cli", "phone"] as const;
export type SlotQuerySource = (typeof SLOT_QUERY_SOURCES)[number];

export type SlotQueryRequest = { method: string; path: string; query: Record<string, string>; version: string };

export const slotQueries = pgTable(
  "slot_queries",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow().$defaultFn(now),
    companyId: integer()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    source: text({ enum: SLOT_QUERY_SOURCES }).notNull(),
    actorLabel: text(),
    serviceId: integer(),
    eventTypeId: integer().notNull(),
    rangeStart: timestamp({ withTimezone: true }).notNull(),
    rangeEnd: timestamp({ withTimezone: true }).notNull(),
    timeZone: text().notNull(),
    /** The time the caller asked about, if any, and the reason codes found for it. */
    requestedStart: timestamp({ withTimezone: true }),
    reasonCodes: jsonb().$type<string[]>(),
    /** UTC ISO starts offered; null when the call failed. */
    slots: jsonb().$type<string[]>(),
    slotCount: integer().notNull().default(0),
    httpStatus: integer(),
    calCode: text(),
    error: text(),
    durationMs: integer().notNull().default(0),
    request: jsonb().$type<SlotQueryRequest>().notNull(),
  },
  (t) => [
    index("slot_queries_company_id").on(t.companyId, t.id),
    index("slot_queries_company_event_type_id").on(t.companyId, t.eventTypeId, t.id),
    index("slot_queries_at").on(t.at),
  ],
);
export type SlotQuery = typeof slotQueries.$inferSelect;
