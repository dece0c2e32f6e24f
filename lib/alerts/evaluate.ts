import "server-only";
import * as clock from "@/lib/time/clock";
import { sql } from "drizzle-orm";
import { companies } from "@/drizzle/schema/core";
import { waitingByCompany } from "@/lib/booking/manual-queue";
import { CLOSED_CIRCUIT, loadApiWindows, loadCircuits } from "@/lib/health/figures";
import { apiRules, circuitRules, manualQueueRule, successRatePct } from "@/lib/health/verdict";
import type { Db } from "@/lib/db/types";
import { queryRows } from "@/lib/db/types";
import { watchdogProbe } from "@/lib/watchdog/probe";
import { raiseAlert, resolveAlert } from "./alerts";
import { syncStaleProbe, webhookSilenceProbe } from "./freshness-probes";
import { finding, push, type Finding, type Probe } from "./probe";
import { DEFAULT_THRESHOLDS, getAllAlertThresholds, type AlertThresholds } from "./settings";

/**
 * API success rate and average latency over each company's window (lib/health rules). Cache hits and local refusals
 * (circuit open, CAL-013) never reached Cal.com and are left out. Below minCalls calls the rate means nothing.
 */
export const apiProbe: Probe = async ({ db, companyIds, thresholds, now }) => {
  const out = new Map<number, Finding[]>();
  const windows = await loadApiWindows(db, now);
  for (const companyId of companyIds) {
    const t = thresholds(companyId);
    const w = windows.get(companyId) ?? { calls: 0, ok: 0, avgMs: null };
    const details = {
      calls: w.calls,
      windowMinutes: t.windowMinutes,
      successRatePct: successRatePct(w) ?? 100,
      avgLatencyMs: Math.round(w.avgMs ?? 0),
    };
    const [rate, latency] = apiRules(t, w);
    push(out, companyId, finding(rate!, { ...details, thresholdPct: t.successRateMinPct }));
    push(out, companyId, finding(latency!, { ...details, thresholdMs: t.avgLatencyMaxMs }));
  }
  return out;
};

/** Circuit trips (transitions to open) in the last hour, and a circuit that is open right now. */
export const circuitProbe: Probe = async ({ db, companyIds, thresholds, now }) => {
  const out = new Map<number, Finding[]>();
  const circuits = await loadCircuits(db, now);
  const zones = new Map(
    (await db.select({ id: companies.id, timeZone: companies.timeZone }).from(companies)).map((c) => [
      c.id,
      c.timeZone,
    ]),
  );
  for (const companyId of companyIds) {
    const c = circuits.get(companyId) ?? CLOSED_CIRCUIT;
    const t = thresholds(companyId);
    // Half-open degrades the verdict but is a passing state (two trial calls): no alert of its own.
    for (const r of circuitRules(t, c, zones.get(companyId)).filter((x) => x.rule !== "circuit_half_open")) {
      const details =
        r.rule === "circuit_trips"
          ? { tripsLastHour: c.tripsLastHour, threshold: t.circuitTripsPerHourMax }
          : c.state === "open"
            ? { openedAt: c.openedAt, lastFailureCode: c.lastFailureCode, forced: c.isForcedOpen }
            : {};
      push(out, companyId, finding(r, details));
    }
  }
  return out;
};

/** The oldest request waiting in the manual booking queue. */
export const manualQueueProbe: Probe = async ({ db, companyIds, thresholds, now }) => {
  const out = new Map<number, Finding[]>();
  const waiting = await waitingByCompany(db);
  for (const companyId of companyIds) {
    const w = waiting.get(companyId);
    const t = thresholds(companyId);
    const ageMin = w ? Math.floor((now.getTime() - w.oldest.getTime()) / 60_000) : null;
    const r = manualQueueRule(t, { waiting: w?.size ?? 0, oldestAgeMinutes: ageMin });
    push(
      out,
      companyId,
      finding(r, w ? { waiting: w.size, oldestAgeMinutes: ageMin, thresholdMinutes: t.manualQueueMaxAgeMinutes } : {}),
    );
  }
  return out;
};

export type EvaluationResult = {
  opened: { companyId: number; kind: string; alertId: number }[];
  resolved: number;
  active: number;
};

/**
 * Evaluate every condition for every company: open (or refresh) the alerts whose condition holds, resolve the ones
 * whose condition cleared. Run every minute by the job queue; idempotent, so a second instance running it is harmless.
 */
export async function evaluateAlerts(
  db: Db,
  opts: { now?: Date; probes?: Probe[]; onOpened?: OnOpened } = {},
): Promise<EvaluationResult> {
  const now = opts.now ?? clock.now();
  const companyRows = await queryRows<{ id: number }>(db, sql`select id from companies order by id`);
  const companyIds = companyRows.map((r) => r.id);
  const result: EvaluationResult = { opened: [], resolved: 0, active: 0 };
  if (!companyIds.length) return result;
  const settings = await getAllAlertThresholds(db);
  const thresholds = (id: number) => settings.get(id) ?? DEFAULT_THRESHOLDS;
  const probes = opts.probes ?? [
    apiProbe,
    circuitProbe,
    manualQueueProbe,
    webhookSilenceProbe,
    syncStaleProbe,
    watchdogProbe,
  ];
  for (const probe of probes) {
    const findings = await probe({ db, companyIds, thresholds, now });
    for (const [companyId, list] of findings) {
      for (const f of list) {
        if (f.active) {
          result.active++;
          const { alert, opened } = await raiseAlert(db, {
            companyId,
            kind: f.kind,
            key: f.key,
            severity: f.severity,
            title: f.title,
            message: f.message,
            details: f.details,
          });
          if (opened) {
            result.opened.push({ companyId, kind: f.kind, alertId: alert.id });
            await opts.onOpened?.(db, alert.id, thresholds(companyId));
          }
        } else if (await resolveAlert(db, { companyId, kind: f.kind, key: f.key })) {
          result.resolved++;
        }
      }
    }
  }
  return result;
}

export type OnOpened = (db: Db, alertId: number, thresholds: AlertThresholds) => Promise<void>;
