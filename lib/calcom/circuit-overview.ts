import "server-only";
import * as clock from "@/lib/time/clock";
import { listCompanyRows } from "@/lib/companies/companies";
import { resolveCalcomTarget } from "@/lib/companies/calcom-target";
import type { Db } from "@/lib/db/types";
import { getCircuitStatuses } from "./breaker";

/** What the Circuit panel and GET /api/admin/calcom/circuit show per company. */
export async function getCircuitOverview(db: Db, opts: { companyId?: number } = {}) {
  const companies = (await listCompanyRows(db)).filter((c) => !opts.companyId || c.id === opts.companyId);
  const statuses = await getCircuitStatuses(
    db,
    companies.map((c) => c.id),
  );
  const now = clock.now();
  return companies.map((c) => {
    const s = statuses.get(c.id)!;
    const isForced = Boolean(s.forcedOpenUntil && s.forcedOpenUntil > now);
    return {
      companyId: c.id,
      companyName: c.name,
      isSandbox: resolveCalcomTarget(c).isSandbox,
      isConfigured: resolveCalcomTarget(c).isConfigured,
      state: s.state,
      isForcedOpen: isForced,
      consecutiveFailures: s.consecutiveFailures,
      openedAt: s.openedAt,
      openUntil: s.openUntil,
      forcedOpenUntil: s.forcedOpenUntil,
      halfOpenInFlight: s.halfOpenInFlight,
      lastFailure: s.lastFailureAt
        ? { code: s.lastFailureCode, status: s.lastFailureStatus, message: s.lastFailureMessage, at: s.lastFailureAt }
        : null,
      lastSuccessAt: s.lastSuccessAt,
      thresholds: {
        failureThreshold: s.failureThreshold,
        openSeconds: s.openSeconds,
        halfOpenMaxCalls: s.halfOpenMaxCalls,
      },
      events: s.events.map((e) => ({
        id: e.id,
        at: e.at,
        from: e.fromState,
        to: e.toState,
        reason: e.reason,
        actor: e.actorLabel,
      })),
    };
  });
}
