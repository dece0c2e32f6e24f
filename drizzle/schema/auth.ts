import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Sign-in throttling shared by every instance (lib/auth/throttle.ts). One row per key: "account:<email>|<address>"
 * (failures of one account from one client address) and "address:<address>" (failures from one address across
 * accounts). A fixed window of failures; reaching the limit sets blockedUntil.
 */
export const signInThrottle = pgTable(
  "sign_in_throttle",
  {
    key: text().primaryKey(),
    failures: integer().notNull().default(0),
    windowStart: timestamp({ withTimezone: true }).notNull().defaultNow(),
    blockedUntil: timestamp({ withTimezone: true }),
    /** Attempts refused while blocked: counted here instead of one audit row each, so a flood cannot grow the log. */
    refused: integer().notNull().default(0),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sign_in_throttle_updated").on(t.updatedAt)],
);
export type SignInThrottle = typeof signInThrottle.$inferSelect;
