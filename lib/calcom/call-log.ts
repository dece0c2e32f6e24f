import "server-only";
import * as clock from "@/lib/time/clock";
import { lt } from "drizzle-orm";
import { apiCalls } from "@/drizzle/schema/calcom";
import type { Db } from "@/lib/db/types";
import { foldCallsBefore } from "@/lib/prometheus/call-totals";
import { getEnv } from "@/lib/config/env";

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
export async function pruneApiCalls(db: Db, days = getEnv().CALCOM_CALL_RETENTION_DAYS): Promise<void> {
  const cutoff = new Date(clock.nowMs() - days * 86_400_000);
  // The api_calls_at index serves the range; the Prometheus counters keep what is deleted (lib/prometheus/call-totals.ts).
  await db.transaction(async (tx) => {
    await foldCallsBefore(tx, cutoff);
    await tx.delete(apiCalls).where(lt(apiCalls.at, cutoff));
  });
}
