import "server-only";
import * as clock from "@/lib/time/clock";
import type { Db } from "@/lib/db/types";
import { overallStatus } from "@/lib/health/verdict";
import { getOverview } from "@/lib/overview/overview";

/**
 * The guide's `calcom:health-check` per company, built on the overview (the same figures and the same verdict as the
 * tiles, the health route and the alerts): status and reasons, API success rate and latency over the company's
 * window, circuit, last sync, last verified webhook, and errors by CAL code over 24 h.
 */
export async function getHealthReport(db: Db, opts: { companyId?: number; now?: Date } = {}) {
  const now = opts.now ?? clock.now();
  const overview = await getOverview(db, { companyId: opts.companyId, now });
  const companies = overview.map((c) => ({
    companyId: c.companyId,
    company: c.companyName,
    status: c.verdict.status,
    reasons: c.verdict.reasons,
    sandbox: c.isSandbox,
    circuit: {
      state: c.circuit.state,
      isForcedOpen: c.circuit.isForcedOpen,
      lastFailureCode: c.circuit.lastFailureCode,
      tripsLastHour: c.circuit.tripsLastHour,
    },
    api: {
      windowMinutes: c.api.windowMinutes,
      calls: c.api.calls,
      successRatePct: c.api.successRatePct,
      avgMs: c.api.avgMs,
      p95Ms: c.api.p95Ms,
    },
    sync: { lastSuccessAt: c.sync.lastAt, summary: c.sync.summary },
    webhooks: { lastVerifiedAt: c.webhooks.lastAt, summary: c.webhooks.summary },
    manualQueue: { waiting: c.manualQueue.waiting, oldestAgeMinutes: c.manualQueue.oldestAgeMinutes },
    errors24h: c.recentErrors.map((e) => ({ calCode: e.code, count: e.count, lastAt: e.lastAt })),
  }));
  return {
    service: "cal.com",
    status: overallStatus(companies.map((c) => c.status)),
    checkedAt: now.toISOString(),
    companies,
  };
}
