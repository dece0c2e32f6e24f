import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { manualBookings } from "@/drizzle/schema/booking";
import { appointments, companyWebhookSecrets } from "@/drizzle/schema/core";
import { sandboxEventTypes, sandboxWebhooks } from "@/drizzle/schema/sandbox";
import { recoverOpenManualBookings } from "@/lib/booking/recovery";
import { setSandboxFaults } from "@/lib/calcom-sandbox/faults";
import { setSandboxWebhook, signWebhookBody } from "@/lib/calcom-sandbox/webhooks";
import { addWebhookSecret, setWebhookSecretActive } from "@/lib/companies/companies";
import { reconcileNow } from "@/lib/reconcile/run";
import * as clock from "@/lib/time/clock";
import { receiveWebhook } from "@/lib/webhooks/receive";
import { PRAXIS } from "../catalog";
import { bump, OPERATOR, TZ, type HistoryContext, type TenantState } from "./context";
import { sandboxRequest } from "./in-process";
import type { Step } from "./plan";
import { pickBooking } from "./traffic";
import { webhookSecretCache } from "@/lib/webhooks/secret-cache";

/** Cal.com's outage and the sync incident are sandbox faults, switched as an operator would in the Sandbox panel. */
export async function setOutage(ctx: HistoryContext, isDown: boolean): Promise<void> {
  await setSandboxFaults(ctx.db, { families: { all: isDown ? { forceStatus: 503 } : null } });
}

export async function setEmptyEventTypes(ctx: HistoryContext, isEmpty: boolean): Promise<void> {
  await setSandboxFaults(ctx.db, { emptyEventTypes: isEmpty });
}

/** A walk-in takes the time of one queued request at the front desk, straight in Cal.com: its recovery will conflict. */
export async function walkIn(ctx: HistoryContext, t: TenantState): Promise<void> {
  const [queued] = await ctx.db
    .select({ start: appointments.startsAt, eventTypeId: appointments.calcomEventTypeId })
    .from(manualBookings)
    .innerJoin(appointments, eq(appointments.id, manualBookings.appointmentId))
    .where(and(eq(manualBookings.companyId, t.company.id), eq(manualBookings.state, "open")))
    .orderBy(asc(manualBookings.id))
    .limit(1);
  if (!queued?.eventTypeId) return;
  const body = {
    start: queued.start.toISOString(),
    eventTypeId: queued.eventTypeId,
    attendee: { name: "Walk-in customer", email: "walk-in@example.com", timeZone: TZ },
  };
  const r = await sandboxRequest(ctx.db, {
    apiKey: t.apiKey,
    method: "POST",
    path: "/v2/bookings",
    version: "2024-08-13",
    body,
  });
  bump(ctx, r.status < 300 ? "walk-in" : "walk-in.refused");
}

export async function recoverQueue(ctx: HistoryContext, t: TenantState): Promise<void> {
  const reports = await recoverOpenManualBookings(ctx.db, { companyId: t.company.id });
  const r = reports[t.company.id];
  if (r) bump(ctx, "recovered", r.booked);
}

async function subscription(ctx: HistoryContext, t: TenantState) {
  if (!t.company.calcomTeamId) return null;
  const [row] = await ctx.db.select().from(sandboxWebhooks).where(eq(sandboxWebhooks.teamId, t.company.calcomTeamId));
  return row ?? null;
}

/** The subscription in Cal.com (the sandbox), changed as the salon would in Cal.com's settings. */
async function updateSubscription(
  ctx: HistoryContext,
  t: TenantState,
  change: { secret?: string; active?: boolean },
): Promise<void> {
  const row = await subscription(ctx, t);
  if (!row || !row.teamId) return;
  await setSandboxWebhook(ctx.db, {
    teamId: row.teamId,
    subscriberUrl: row.subscriberUrl,
    secret: change.secret ?? row.secret,
    active: change.active ?? row.active,
    triggers: row.triggers as never,
  });
}

/** Rotation: add the new secret here, then in Cal.com, then retire the old one; in between, the previous one verifies. */
export async function rotateSecret(
  ctx: HistoryContext,
  t: TenantState,
  phase: Extract<Step, { kind: "rotate-secret" }>["phase"],
): Promise<void> {
  const companyId = t.company.id;
  if (phase === "add") {
    const [old] = await ctx.db
      .select({ id: companyWebhookSecrets.id })
      .from(companyWebhookSecrets)
      .where(and(eq(companyWebhookSecrets.companyId, companyId), eq(companyWebhookSecrets.isActive, true)))
      .orderBy(asc(companyWebhookSecrets.id))
      .limit(1);
    if (!old) return;
    const newSecret = `whsec_${randomBytes(24).toString("hex")}`;
    const label = `rotation ${clock.now().toISOString().slice(0, 10)}`;
    await addWebhookSecret(ctx.db, { companyId, input: { label, secret: newSecret }, actor: OPERATOR });
    // The receiver re-reads secrets within a second; the replay compresses hours into milliseconds, so it asks now.
    webhookSecretCache().clear();
    t.rotation = { oldSecretId: old.id, newSecret };
  } else if (phase === "switch-calcom" && t.rotation) {
    await updateSubscription(ctx, t, { secret: t.rotation.newSecret });
  } else if (phase === "retire-old" && t.rotation) {
    await setWebhookSecretActive(ctx.db, {
      companyId,
      secretId: t.rotation.oldSecretId,
      isActive: false,
      actor: OPERATOR,
    });
    webhookSecretCache().clear();
  }
  bump(ctx, `rotation.${phase}`);
}

/** Deliveries our receiver must refuse: stored with their verdict, answered 401/415, never applied. */
export async function rejectedDelivery(
  ctx: HistoryContext,
  t: TenantState,
  variant: Extract<Step, { kind: "rejected-delivery" }>["variant"],
): Promise<void> {
  const body = JSON.stringify({
    triggerEvent: "BOOKING_CREATED",
    createdAt: clock.now().toISOString(),
    payload: {
      uid: `stg${randomBytes(8).toString("hex")}`,
      title: "Staging test booking",
      startTime: clock.now().toISOString(),
    },
  });
  const headers: Record<string, string> = { "content-type": "application/json", "x-cal-webhook-version": "2021-10-20" };
  if (variant === "wrong-secret")
    headers["x-cal-signature-256"] = signWebhookBody(body, "whsec_the_staging_systems_secret");
  if (variant === "form-encoded") {
    headers["content-type"] = "application/x-www-form-urlencoded";
    headers["x-cal-signature-256"] = signWebhookBody(body, "whsec_template");
  }
  const req = new Request(`http://127.0.0.1/api/webhooks/calcom/${t.company.slug}`, { method: "POST", headers, body });
  const res = await receiveWebhook(ctx.db, req, { companySlug: t.company.slug });
  bump(ctx, `rejected.${res.status}`);
}

/** Changes made in Cal.com while our subscription is paused: no webhook tells us; reconciliation must find them. */
export async function calcomSideChange(
  ctx: HistoryContext,
  t: TenantState,
  change: Extract<Step, { kind: "calcom-side-change" }>["change"],
): Promise<void> {
  if (change === "pause-webhook" || change === "resume-webhook")
    return updateSubscription(ctx, t, { active: change === "resume-webhook" });
  if (change === "hide-event-type") {
    // Cal.com's own settings screen (the sandbox has no API for it): the event type stays in the team list, hidden.
    const service = PRAXIS.services.find((s) => s.name === "Impfung")!;
    await ctx.db.update(sandboxEventTypes).set({ hidden: true }).where(eq(sandboxEventTypes.id, service.eventTypeId));
    return bump(ctx, "drift.hidden");
  }
  const b = pickBooking(t, change === "cancel" ? 0.2 : 0.7);
  if (!b) return;
  if (change === "cancel") {
    const r = await sandboxRequest(ctx.db, {
      apiKey: t.apiKey,
      method: "POST",
      path: `/v2/bookings/${b.uid}/cancel`,
      version: "2024-08-13",
      body: { cancellationReason: "Cancelled at the front desk" },
    });
    if (r.status < 300) t.bookings = t.bookings.filter((x) => x !== b);
    return bump(ctx, `drift.cancel.${r.status}`);
  }
  for (const hours of [2, 3, 24, 26]) {
    const start = new Date(b.start.getTime() + hours * 3_600_000).toISOString();
    const r = await sandboxRequest(ctx.db, {
      apiKey: t.apiKey,
      method: "POST",
      path: `/v2/bookings/${b.uid}/reschedule`,
      version: "2024-08-13",
      body: { start, reschedulingReason: "Moved by phone at the salon" },
    });
    if (r.status < 300) {
      t.bookings = t.bookings.filter((x) => x !== b);
      return bump(ctx, "drift.move");
    }
  }
}

export async function nightlyReconcile(ctx: HistoryContext, t: TenantState): Promise<void> {
  const now = clock.nowMs();
  const runs = await reconcileNow(ctx.db, {
    input: {
      companyId: t.company.id,
      from: new Date(now - 8 * 86_400_000).toISOString(),
      to: new Date(now + 14 * 86_400_000).toISOString(),
    },
    actor: OPERATOR,
  });
  bump(ctx, "reconcile", runs.length);
}
