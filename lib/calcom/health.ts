import "server-only";
import * as clock from "@/lib/time/clock";
import { and, eq, gte, sql } from "drizzle-orm";
import { apiCalls } from "@/drizzle/schema/calcom";
import type { Db } from "@/lib/db/types";
import { getCircuitOverview } from "./circuit-overview";

type Status = "healthy" | "degraded" | "down";

/**
 * GET /api/health/calcom, in the integration guide's shape plus a per-company breakdown. No session needed, so it
 * reveals no key, secret or team id: only slugs, states and rates.
 */
export async function getCalcomHealth(db: Db) {
  const circuits = await getCircuitOverview(db);
  const since = new Date(clock.nowMs() - 15 * 60_000);
  const rates = await db
    .select({
      companyId: apiCalls.companyId,
      total: sql<number>`count(*)::int`,
      failed: sql<number>`count(*) filter (where ${apiCalls.calCode} in ('CAL-012','CAL-005','CAL-013'))::int`,
    })
    .from(apiCalls)
    .where(and(gte(apiCalls.at, since), eq(apiCalls.isCacheHit, false)))
    .groupBy(apiCalls.companyId);
  const companies = circuits.map((c) => {
    const r = rates.find((x) => x.companyId === c.companyId);
    const successRate = r && r.total > 0 ? (r.total - r.failed) / r.total : null;
    const status: Status = c.state === "open" ? "down" : c.state === "half_open" || (successRate !== null && successRate < 0.95) ? "degraded" : "healthy";
    return { company: c.companyName, circuit_breaker: c.state, status, success_rate_15m: successRate, sandbox: c.isSandbox };
  });
  const status: Status = companies.length > 0 && companies.every((c) => c.status === "down") ? "down" : companies.some((c) => c.status !== "healthy") ? "degraded" : "healthy";
  const worst = companies.find((c) => c.circuit_breaker === "open") ?? companies.find((c) => c.circuit_breaker === "half_open");
  return { service: "cal.com", status, api_version: "v2", circuit_breaker: worst?.circuit_breaker ?? "closed", cache_enabled: true, companies };
}
