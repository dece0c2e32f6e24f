import { inject } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/config/env";
import type { Db } from "@/lib/db/types";

/** The run's database (migrated on first use). Tests create their own rows (own company) rather than sharing. */
export async function getTestDb(): Promise<Db> {
  process.env.DATABASE_URL = inject("databaseUrl");
  process.env.APP_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  process.env.AUTH_SECRET ??= "test-auth-secret-test-auth-secret-1234";
  // The tests' upstreams and receivers listen on 127.0.0.1 over http; test/abuse/ssrf.int.test.ts turns this off.
  process.env.OUTBOUND_ALLOW_PRIVATE ??= "true";
  // With DATABASE_URL the sandbox's /_control needs a configured token (lib/calcom-sandbox/enabled.ts).
  process.env.SANDBOX_CONTROL_TOKEN ??= "test-sandbox-control-token-0001";
  // Companies without a Cal.com URL use the sandbox, as in demo mode (test/abuse/sandbox-off.int.test.ts turns it off).
  process.env.CALCOM_SANDBOX_ENABLED ??= "true";
  resetEnvCache();
  return getDb();
}

export { closeDb };
