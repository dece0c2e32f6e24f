import "server-only";
import * as clock from "@/lib/time/clock";
import { and, desc, eq, gte, isNotNull, sql } from "drizzle-orm";
import { apiCalls } from "@/drizzle/schema/calcom";
import { syncRuns } from "@/drizzle/schema/sync";
import { webhookDeliveries } from "@/drizzle/schema/webhooks";
import { getCircuitOverview } from "@/lib/calcom/circuit-overview";
import type { Db } from "@/lib/db/types";
import { apiSummary } from "./api-metrics";

type Status = "healthy" | "degraded" | "down";

/**
 * The guide's `calcom:health-check` per company: API success rate and latency (last 15 min), circuit state, last
 * event-type sync, last webhook received, and errors by CAL code (last 24 h). Down = circuit open; degraded =
 * half-open or success rate below 95 %. Stale sync or webhook silence are warnings.
 */
export async function getHealthReport(db: Db, opts: { companyId?: number; now?: Date } = {}) {
  const now = opts.now ?? clock.now();
  const circuits = await getCircuitOverview(db, { companyId: opts.companyId });
  const companies = [];
  for (const c of circuits) {
    const api = await apiSummary(db, { from: new Date(now.getTime() - 15 * 60_000), to: now, companyId: c.companyId, bucket: "15 minutes" });
    const errors = await db
      .select({ calCode: apiCalls.calCode, n: sql<number>`count(*)::int` })
      .from(apiCalls)
      .where(and(eq(apiCalls.companyId, c.companyId), gte(apiCalls.at, new Date(now.getTime() - 86_400_000)), isNotNull(apiCalls.calCode)))
      .groupBy(apiCalls.calCode)
      .orderBy(desc(sql`count(*)`));
    const [lastSync] = await db
      .select({ status: syncRuns.status, startedAt: syncRuns.startedAt, finishedAt: syncRuns.finishedAt, reason: syncRuns.reason })
      .from(syncRuns)
      .where(and(eq(syncRuns.companyId, c.companyId), eq(syncRuns.isCheckOnly, false)))
      .orderBy(desc(syncRuns.id))
      .limit(1);
    const [lastWebhook] = await db
      .select({ at: webhookDeliveries.receivedAt, status: webhookDeliveries.status, trigger: webhookDeliveries.triggerEvent })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.companyId, c.companyId))
      .orderBy(desc(webhookDeliveries.receivedAt))
      .limit(1);
    const status: Status = c.state === "open" ? "down" : c.state === "half_open" || (api.successRate !== null && api.successRate < 0.95) ? "degraded" : "healthy";
    const warnings: string[] = [];
    if (!lastSync) warnings.push("No event-type sync has run yet");
    else if (lastSync.status === "failed" || lastSync.status === "aborted") warnings.push(`The last event-type sync ${lastSync.status}${lastSync.reason ? `: ${lastSync.reason}` : ""}`);
    if (!lastWebhook) warnings.push("No webhook has been received yet");
    else if (now.getTime() - lastWebhook.at.getTime() > 86_400_000) warnings.push(`No webhook for ${Math.round((now.getTime() - lastWebhook.at.getTime()) / 3_600_000)} h`);
    companies.push({
      companyId: c.companyId,
      company: c.companyName,
      status,
      sandbox: c.isSandbox,
      circuit: { state: c.state, consecutiveFailures: c.consecutiveFailures, isForcedOpen: c.isForcedOpen, lastFailure: c.lastFailure },
      api: { calls15m: api.calls, successRate15m: api.successRate, p95Ms15m: api.p95Ms },
      errors24h: errors.map((e) => ({ calCode: e.calCode!, count: Number(e.n) })),
      lastSync: lastSync ? { status: lastSync.status, at: (lastSync.finishedAt ?? lastSync.startedAt).toISOString() } : null,
      lastWebhook: lastWebhook ? { at: lastWebhook.at.toISOString(), status: lastWebhook.status, trigger: lastWebhook.trigger } : null,
      warnings,
    });
  }
  const status: Status = companies.length > 0 && companies.every((c) => c.status === "down") ? "down" : companies.some((c) => c.status !== "healthy") ? "degraded" : "healthy";
  return { service: "cal.com", status, checkedAt: now.toISOString(), companies };
}
export type HealthReport = Awaited<ReturnType<typeof getHealthReport>>;
