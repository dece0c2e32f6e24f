import "server-only";
import { eq } from "drizzle-orm";
import { auditLog } from "@/drizzle/schema/core";
import { evaluateAlerts, apiProbe, circuitProbe, manualQueueProbe } from "@/lib/alerts/evaluate";
import { notifyAlertOpened } from "@/lib/alerts/notify";
import { writeAudit } from "@/lib/audit/audit";
import { flushSandboxWebhooks } from "@/lib/calcom-sandbox/webhooks";
import type { Db } from "@/lib/db/types";
import { runWithOutbound } from "@/lib/http/outbound";
import { runWithDeferredJobs, type DeferredJob } from "@/lib/jobs/queue";
import { drainWebhookQueue } from "@/lib/webhooks/worker";
import { createShiftedClock, runWithClock, type ShiftedClock } from "@/lib/time/clock";
import { bump, OPERATOR, sandboxTenants, type HistoryContext } from "./context";
import { inProcessHandler } from "./in-process";
import {
  calcomSideChange,
  nightlyReconcile,
  recoverQueue,
  rejectedDelivery,
  rotateSecret,
  setEmptyEventTypes,
  setOutage,
  walkIn,
} from "./incidents";
import { planHistory, type Step } from "./plan";
import { cancelCall, phoneCall, rescheduleCall, scheduledSync } from "./traffic";
import { getEnv } from "@/lib/config/env";

const HISTORY_AUDIT_ACTION = "demo.history";
export type HistoryResult = {
  status: "generated" | "skipped";
  reason?: string;
  steps: number;
  errors: number;
  durationMs: number;
  counts: Record<string, number>;
};
export type HistoryOptions = { now?: Date; seed?: number; log?: (line: string) => void };

export async function hasDemoHistory(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(eq(auditLog.action, HISTORY_AUDIT_ACTION))
    .limit(1);
  return Boolean(row);
}

async function runStep(ctx: HistoryContext, step: Step): Promise<void> {
  const t = ctx.tenants.get(step.tenant);
  if (!t) return;
  switch (step.kind) {
    case "call":
      return phoneCall(ctx, t, step);
    case "cancel":
      return cancelCall(ctx, t, step.pick);
    case "reschedule":
      return rescheduleCall(ctx, t, step.pick);
    case "sync":
      return scheduledSync(ctx, t, step.checkOnly);
    case "evaluate-alerts":
      await evaluateAlerts(ctx.db, { probes: [apiProbe, circuitProbe, manualQueueProbe], onOpened: notifyAlertOpened });
      return;
    case "outage-start":
    case "outage-end":
      return setOutage(ctx, step.kind === "outage-start");
    case "walk-in":
      return walkIn(ctx, t);
    case "recover":
      return recoverQueue(ctx, t);
    case "sync-incident-start":
    case "sync-incident-end":
      return setEmptyEventTypes(ctx, step.kind === "sync-incident-start");
    case "rotate-secret":
      return rotateSecret(ctx, t, step.phase);
    case "rejected-delivery":
      return rejectedDelivery(ctx, t, step.variant);
    case "calcom-side-change":
      return calcomSideChange(ctx, t, step.change);
    case "reconcile":
      return nightlyReconcile(ctx, t);
  }
}

/** Jobs the step sent (webhook processing) run a few seconds later, as a worker would pick them up. */
async function drainJobs(ctx: HistoryContext, jobs: DeferredJob[], clock: ShiftedClock): Promise<void> {
  do {
    await flushSandboxWebhooks();
    clock.set(new Date(clock.now().getTime() + 1_500));
    // Webhook deliveries are their own queue (the table): work it now, at the replayed time.
    await drainWebhookQueue(ctx.db, { budgetMs: 10_000, workerId: "demo-history" });
    for (const job of jobs.splice(0)) {
      await job.definition
        .handler(job.data, { db: ctx.db, jobId: "demo-history", attempt: 1 })
        .catch(() => bump(ctx, "job.failed"));
    }
  } while (jobs.length);
}

/**
 * Replays a week of demo activity through the real code: phone calls, bookings, webhooks, syncs, an outage, a sync
 * incident, a secret rotation, rejected deliveries and drift found by reconciliation. Runs once per database (an
 * audit entry marks it); deterministic for a seed and "now", apart from the ids Cal.com (the sandbox) hands out.
 */
export async function generateDemoHistory(db: Db, opts: HistoryOptions = {}): Promise<HistoryResult> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const skipped = (reason: string): HistoryResult => ({
    status: "skipped",
    reason,
    steps: 0,
    errors: 0,
    durationMs: 0,
    counts: {},
  });
  if (await hasDemoHistory(db)) return skipped("already generated");
  // Same switch as the sandbox route: a deployment that turned the sandbox off gets no replay against it either.
  if (getEnv().CALCOM_SANDBOX_ENABLED === false)
    return skipped("the built-in sandbox is switched off (CALCOM_SANDBOX_ENABLED=false)");
  const tenants = new Map((await sandboxTenants(db)).map((t) => [t.company.slug, t]));
  if (tenants.size === 0) return skipped("no demo company uses the built-in sandbox");
  const now = opts.now ?? new Date();
  const steps = planHistory({ now, seed: opts.seed });
  const ctx: HistoryContext = { db, tenants, counts: {} };
  const clock = createShiftedClock(steps[0]?.at ?? now);
  const jobs: DeferredJob[] = [];
  let errors = 0;
  let nextReport = 0.1;
  log(`demo history: replaying ${steps.length} steps over 7 days for ${[...tenants.keys()].join(", ")}`);
  const replay = async () => {
    try {
      for (const [index, step] of steps.entries()) {
        clock.set(step.at);
        const stepStarted = performance.now();
        try {
          await runStep(ctx, step);
        } catch (error) {
          if (errors++ < 3)
            console.warn(
              `[demo] step ${step.kind} at ${step.at.toISOString()} failed:`,
              error instanceof Error ? error.message : error,
            );
        }
        await drainJobs(ctx, jobs, clock);
        bump(ctx, `ms.${step.kind}`, Math.round(performance.now() - stepStarted));
        if ((index + 1) / steps.length >= nextReport) {
          log(
            `demo history: ${Math.round(((index + 1) / steps.length) * 100)}% (${step.at.toISOString().slice(0, 16)}Z, ${Math.round(performance.now() - started)} ms)`,
          );
          nextReport += 0.1;
        }
      }
    } finally {
      // Never leave Cal.com "down" behind, even when a step threw.
      await setOutage(ctx, false);
      await setEmptyEventTypes(ctx, false);
    }
  };
  await runWithClock(clock, () => runWithOutbound(inProcessHandler(db), () => runWithDeferredJobs(jobs, replay)));
  const durationMs = Math.round(performance.now() - started);
  await db.transaction((tx) =>
    writeAudit(tx, {
      actor: OPERATOR,
      action: HISTORY_AUDIT_ACTION,
      targetType: "demo",
      targetId: "history",
      details: { steps: steps.length, errors, durationMs, counts: ctx.counts },
    }),
  );
  log(`demo history: done in ${(durationMs / 1000).toFixed(1)} s (${steps.length} steps, ${errors} errors)`);
  return { status: "generated", steps: steps.length, errors, durationMs, counts: ctx.counts };
}
