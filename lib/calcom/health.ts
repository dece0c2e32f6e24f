import "server-only";
import type { Db } from "@/lib/db/types";
import { overallStatus, type HealthStatus } from "@/lib/health/verdict";
import { getOverview, type CompanyOverview } from "@/lib/overview/overview";

/**
 * GET /api/health/calcom, in the integration guide's shape. The verdict per company is the overview's (lib/health).
 * Anonymous monitors get counts only (getCalcomHealth); company names, rates and reasons need a session or the
 * OPS_API_TOKEN bearer (getCalcomHealthDetails). Never a key, secret or team id.
 */
function head(overview: CompanyOverview[]) {
  const statuses = overview.map((c) => c.verdict.status);
  const states = overview.map((c) => c.circuit.state);
  const count = (s: HealthStatus) => statuses.filter((x) => x === s).length;
  return {
    service: "cal.com",
    status: overallStatus(statuses),
    api_version: "v2",
    circuit_breaker: states.includes("open") ? "open" : states.includes("half_open") ? "half_open" : "closed",
    cache_enabled: true,
    counts: {
      total: statuses.length,
      healthy: count("healthy"),
      degraded: count("degraded"),
      down: count("down"),
      not_configured: count("not_configured"),
    },
  };
}

export async function getCalcomHealth(db: Db, opts: { now?: Date } = {}) {
  return head(await getOverview(db, { now: opts.now }));
}

export async function getCalcomHealthDetails(db: Db, opts: { now?: Date } = {}) {
  const overview = await getOverview(db, { now: opts.now });
  return {
    ...head(overview),
    companies: overview.map((c) => ({
      company: c.companyName,
      status: c.verdict.status,
      reasons: c.verdict.reasons,
      circuit_breaker: c.circuit.state,
      success_rate: c.api.successRatePct === null ? null : c.api.successRatePct / 100,
      window_minutes: c.api.windowMinutes,
      sandbox: c.isSandbox,
    })),
  };
}
