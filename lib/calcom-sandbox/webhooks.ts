import * as clock from "@/lib/time/clock";
import { createHmac } from "node:crypto";
import { and, desc, eq, inArray, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import {
  sandboxBookings,
  sandboxTeams,
  sandboxWebhookDeliveries,
  sandboxWebhooks,
  type SandboxBooking,
  type SandboxWebhook,
} from "@/drizzle/schema/sandbox";
import type { Db } from "@/lib/db/types";
import { routedFetch } from "@/lib/http/outbound";
import { BOOKING_TRIGGERS, type SandboxTrigger } from "./constants";
import { getBookingByUid } from "./booking-write";
import { readFidelity } from "./fidelity";
import { bookingPayload, loadPayloadContext, meetingPayload, pingPayload } from "./webhook-payloads";
import { webhookTargetRefusal } from "./webhook-target";

/**
 * Delivery as Cal.com's default path does it: one POST per active subscriber, in parallel, signed with
 * HMAC-SHA256 over the exact body, redirects not followed, no retry. The sandbox adds a 5 s timeout and logs
 * every attempt in sandbox_webhook_deliveries. Subscribers are limited to this app's own webhook endpoint
 * (./webhook-target.ts); any other URL is refused when set and again before each delivery.
 */

const subscriberUrl = z.url().refine((url) => webhookTargetRefusal(url) === null, {
  error: (issue) => webhookTargetRefusal(String(issue.input)) ?? "refused",
});

export const WEBHOOK_VERSION = "2021-10-20";
const TIMEOUT_MS = 5_000;

export type DeliveryResult = {
  webhookId: number | null;
  url: string;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
};
/** `unsigned`: a scheduled MEETING_* whose webhook row Cal.com no longer finds goes out without signature headers (§8.5). */
type Target = { webhookId: number | null; url: string; secret: string | null; unsigned?: boolean };

/** Lowercase hex HMAC of the body; the literal "no-secret-provided" when the subscriber has no secret. */
export function signWebhookBody(body: string, secret: string | null | undefined): string {
  return secret ? createHmac("sha256", secret).update(body).digest("hex") : "no-secret-provided";
}

const inFlight = new Set<Promise<unknown>>();

/** Waits for every fire-and-forget delivery started so far (tests, the control endpoint, shutdown). */
export async function flushSandboxWebhooks(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ statusCode: number | null; error: string | null }> {
  try {
    const res = await routedFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.body?.cancel().catch(() => {});
    return { statusCode: res.status, error: null };
  } catch (e) {
    return {
      statusCode: null,
      error:
        e instanceof Error ? (e.name === "TimeoutError" ? `timeout after ${TIMEOUT_MS} ms` : e.message) : String(e),
    };
  }
}

async function deliver(
  db: Db,
  target: Target,
  triggerEvent: string,
  body: string,
  bookingUid: string | null,
): Promise<DeliveryResult> {
  // §8.5: MEETING_* whose webhook row is gone go out with no signature and no version header.
  const signature = target.unsigned ? "" : signWebhookBody(body, target.secret);
  const headers: Record<string, string> = target.unsigned
    ? {}
    : { "x-cal-signature-256": signature, "x-cal-webhook-version": WEBHOOK_VERSION };
  const started = clock.nowMs();
  const refusal = webhookTargetRefusal(target.url);
  const { statusCode, error } = refusal
    ? { statusCode: null, error: `refused: ${refusal}` }
    : await post(target.url, body, headers);
  const durationMs = clock.nowMs() - started;
  await db
    .insert(sandboxWebhookDeliveries)
    .values({
      webhookId: target.webhookId,
      subscriberUrl: target.url,
      triggerEvent,
      bookingUid,
      body,
      signature,
      statusCode,
      error,
      durationMs,
    })
    .catch((e: unknown) => console.warn("[calcom-sandbox] could not log a webhook delivery", e));
  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
  return { webhookId: target.webhookId, url: target.url, ok, statusCode, error, durationMs };
}

async function deliverAll(
  db: Db,
  targets: Target[],
  triggerEvent: string,
  body: string,
  bookingUid: string | null,
): Promise<DeliveryResult[]> {
  const settled = await Promise.allSettled(targets.map((t) => deliver(db, t, triggerEvent, body, bookingUid)));
  return settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
}

function track<T>(promise: Promise<T>): Promise<T> {
  inFlight.add(promise);
  void promise.finally(() => inFlight.delete(promise)).catch(() => {});
  return promise;
}

async function subscribers(
  db: Db,
  scope: { teamId: number | null; ownerId: number | null; eventTypeId: number },
  trigger: string,
): Promise<SandboxWebhook[]> {
  const w = sandboxWebhooks;
  const scopes: SQL[] = [eq(w.eventTypeId, scope.eventTypeId)];
  if (scope.teamId !== null) scopes.push(eq(w.teamId, scope.teamId));
  if (scope.ownerId !== null) scopes.push(eq(w.userId, scope.ownerId));
  const rows = await db
    .select()
    .from(w)
    .where(and(eq(w.active, true), or(...scopes)));
  return rows.filter((r) => r.triggers.length === 0 || r.triggers.includes(trigger));
}

const toTarget = (w: SandboxWebhook): Target => ({ webhookId: w.id, url: w.subscriberUrl, secret: w.secret });

async function sendBookingTrigger(
  db: Db,
  trigger: SandboxTrigger,
  booking: SandboxBooking,
  extras: Record<string, unknown>,
): Promise<DeliveryResult[]> {
  const context = await loadPayloadContext(db, booking);
  if (!context) return [];
  const et = context.eventType;
  let targets = (await subscribers(db, { teamId: et.teamId, ownerId: et.ownerId, eventTypeId: et.id }, trigger)).map(
    toTarget,
  );
  if (targets.length === 0) return [];
  const isMeeting = trigger === "MEETING_STARTED" || trigger === "MEETING_ENDED";
  if (isMeeting && (await readFidelity(db)).meetingSignature === "unsigned")
    targets = targets.map((t) => ({ ...t, unsigned: true }));
  // §8.5: the scheduled body is the booking as it was when booked (scheduleTrigger.ts stores it then), so
  // attendees[].noShow is always the booking-time false, whatever happened since.
  const envelope = isMeeting
    ? { triggerEvent: trigger, ...(booking.meetingPayload ?? meetingPayload(booking, context)) }
    : {
        triggerEvent: trigger,
        createdAt: clock.now().toISOString(),
        payload: bookingPayload(booking, context, extras),
      };
  return deliverAll(db, targets, trigger, JSON.stringify(envelope), booking.uid);
}

/** Stores the MEETING_* body at booking time, as Cal.com's scheduleTrigger does (§8.5). */
export async function freezeMeetingPayload(db: Db, booking: SandboxBooking): Promise<void> {
  const context = await loadPayloadContext(db, booking);
  if (!context) return;
  await db
    .update(sandboxBookings)
    .set({ meetingPayload: meetingPayload(booking, context) })
    .where(eq(sandboxBookings.id, booking.id));
}

const RESCHEDULE_FIELDS = [
  "rescheduleId",
  "rescheduleUid",
  "rescheduleStartTime",
  "rescheduleEndTime",
  "rescheduledBy",
];

/**
 * Sends a booking trigger to the subscribers. By default fire-and-forget (Cal.com's tasker path: the API answer and
 * the webhook race); with the `webhookBeforeAnswer` setting the caller waits for the sends, as Cal.com's inline path
 * does (§8.2), so the receiver sees the webhook before the booking flow has the API answer.
 */
export async function emitBookingWebhook(
  db: Db,
  trigger: SandboxTrigger,
  booking: SandboxBooking,
  extras: Record<string, unknown> = {},
): Promise<void> {
  const fidelity = await readFidelity(db);
  // A reschedule that still needs the organizer's confirmation goes out as BOOKING_REQUESTED. Older Cal.com carries
  // the reschedule fields on it; newer (PR #27546, §8.3) queues it with the booking uid only.
  if (trigger === "BOOKING_RESCHEDULED" && booking.status === "pending") {
    trigger = "BOOKING_REQUESTED";
    if (fidelity.requestedWithoutRescheduleFields)
      extras = Object.fromEntries(Object.entries(extras).filter(([k]) => !RESCHEDULE_FIELDS.includes(k)));
  }
  const sending = track(sendBookingTrigger(db, trigger, booking, extras)).catch((e: unknown) => {
    console.warn(`[calcom-sandbox] ${trigger} delivery failed`, e);
    return [];
  });
  if (fidelity.webhookBeforeAnswer) await sending;
}

export const pingInputSchema = z
  .object({
    teamId: z.number().int().positive().optional(),
    url: subscriberUrl.optional(),
    secret: z.string().nullable().optional(),
  })
  .strict();

/** The "Ping test": to one URL, or to every active subscriber (of one team). Awaited, so the caller sees results. */
export async function sendSandboxPing(db: Db, input: z.infer<typeof pingInputSchema> = {}): Promise<DeliveryResult[]> {
  const opts = pingInputSchema.parse(input);
  let targets: Target[];
  if (opts.url) targets = [{ webhookId: null, url: opts.url, secret: opts.secret ?? null }];
  else {
    const where = opts.teamId
      ? and(eq(sandboxWebhooks.active, true), eq(sandboxWebhooks.teamId, opts.teamId))
      : eq(sandboxWebhooks.active, true);
    targets = (await db.select().from(sandboxWebhooks).where(where)).map(toTarget);
  }
  const body = JSON.stringify({
    triggerEvent: "PING",
    createdAt: clock.now().toISOString(),
    payload: pingPayload(clock.now()),
  });
  return track(deliverAll(db, targets, "PING", body, null));
}

export const meetingEventInputSchema = z
  .object({ bookingUid: z.string().min(1), trigger: z.enum(["MEETING_STARTED", "MEETING_ENDED"]) })
  .strict();

export async function emitSandboxMeetingEvent(
  db: Db,
  input: z.infer<typeof meetingEventInputSchema>,
): Promise<DeliveryResult[] | null> {
  const opts = meetingEventInputSchema.parse(input);
  const booking = await getBookingByUid(db, opts.bookingUid);
  if (!booking) return null;
  return track(sendBookingTrigger(db, opts.trigger, booking, {}));
}

export const webhookInputSchema = z
  .object({
    /** The team whose subscriber is set; omitted = every sandbox team. */
    teamId: z.number().int().positive().optional(),
    subscriberUrl,
    secret: z.string().min(1).nullable().optional(),
    active: z.boolean().default(true),
    triggers: z.array(z.enum(BOOKING_TRIGGERS)).optional(),
  })
  .strict();
export type WebhookInput = z.input<typeof webhookInputSchema>;

export type WebhookView = {
  id: number;
  teamId: number | null;
  subscriberUrl: string;
  active: boolean;
  triggers: string[];
  hasSecret: boolean;
};
export const webhookView = (w: SandboxWebhook): WebhookView => ({
  id: w.id,
  teamId: w.teamId,
  subscriberUrl: w.subscriberUrl,
  active: w.active,
  triggers: w.triggers,
  hasSecret: Boolean(w.secret),
});

/** Sets the (single) subscriber of a team, replacing what it had; the secret is write-only. */
export async function setSandboxWebhook(db: Db, input: WebhookInput): Promise<WebhookView[]> {
  const opts = webhookInputSchema.parse(input);
  const teamIds = opts.teamId
    ? [opts.teamId]
    : (await db.select({ id: sandboxTeams.id }).from(sandboxTeams)).map((t) => t.id);
  if (teamIds.length === 0) return [];
  const rows = await db.transaction(async (tx) => {
    await tx.delete(sandboxWebhooks).where(inArray(sandboxWebhooks.teamId, teamIds));
    return tx
      .insert(sandboxWebhooks)
      .values(
        teamIds.map((teamId) => ({
          teamId,
          subscriberUrl: opts.subscriberUrl,
          secret: opts.secret ?? null,
          active: opts.active,
          triggers: opts.triggers ?? [...BOOKING_TRIGGERS],
        })),
      )
      .returning();
  });
  return rows.map(webhookView);
}

export async function listRecentDeliveries(db: Db, limit = 20) {
  return db.select().from(sandboxWebhookDeliveries).orderBy(desc(sandboxWebhookDeliveries.id)).limit(limit);
}
