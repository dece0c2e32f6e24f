import { bigint, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The webhook endpoint under abuse and at scale (lib/webhooks/receive.ts, rate-limit.ts, secret-cache.ts).
 */

/**
 * Rejected deliveries per source address and minute. Up to the limit they are stored as deliveries; beyond it they
 * are answered 429 and only counted here (`dropped`), so a flood of bad requests costs one row per address-minute.
 */
export const webhookRejectionCounts = pgTable(
  "webhook_rejection_counts",
  {
    address: text().notNull(),
    minute: timestamp({ withTimezone: true }).notNull(),
    rejected: integer().notNull().default(0),
    dropped: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.address, t.minute] }), index("webhook_rejection_counts_minute").on(t.minute)],
);

/**
 * One row (id 1): bumped by triggers whenever a webhook secret, a company's slug / default flag or a company's
 * webhook settings change. Every instance caches decrypted secrets and reloads them when this number moves.
 */
export const webhookConfigVersion = pgTable("webhook_config_version", {
  id: integer().primaryKey().default(1),
  version: bigint({ mode: "number" }).notNull().default(1),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
