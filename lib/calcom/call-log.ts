import "server-only";
import * as clock from "@/lib/time/clock";
import { lt, sql } from "drizzle-orm";
import { apiCalls } from "@/drizzle/schema/calcom";
import type { Db } from "@/lib/db/types";

export type CallRecord = typeof apiCalls.$inferInsert;

/** Every Cal.com call (and cache hit) for metrics. A failure to record must never fail the call itself. */
export async function recordCall(db: Db, record: CallRecord): Promise<void> {
  try {
    await db.insert(apiCalls).values(record);
  } catch (error) {
    console.error("[calcom] could not record call", error instanceof Error ? error.message : error);
  }
}

/** Retention: recorded calls older than `days` are deleted (default 30, CALCOM_CALL_RETENTION_DAYS). */
export async function pruneApiCalls(db: Db, days = Number(process.env.CALCOM_CALL_RETENTION_DAYS ?? 30)): Promise<void> {
  // The api_calls_at index serves the range; one statement, no row list sent back.
  await db.delete(apiCalls).where(lt(apiCalls.at, sql`${clock.now().toISOString()}::timestamptz - make_interval(days => ${days})`));
}
