import { inject } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/config/env";
import type { Db } from "@/lib/db/types";

/** The run's database (migrated on first use). Tests create their own rows (own company) rather than sharing. */
export async function getTestDb(): Promise<Db> {
  process.env.DATABASE_URL = inject("databaseUrl");
  process.env.APP_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  process.env.AUTH_SECRET ??= "test-auth-secret-test-auth-secret-1234";
  resetEnvCache();
  return getDb();
}

export { closeDb };
