import "server-only";
import { and, desc, eq, gte, inArray, lte, or, type SQL } from "drizzle-orm";
import { bookingUidHistory, manualBookings, outboxMessages } from "@/drizzle/schema/booking";
import { apiCalls, circuitEvents } from "@/drizzle/schema/calcom";
import { appointments, auditLog, type Appointment } from "@/drizzle/schema/core";
import { webhookExpectations } from "@/drizzle/schema/ops";
import { reconcileItems } from "@/drizzle/schema/reconcile";
import { slotQueries } from "@/drizzle/schema/slots";
import { webhookAppointmentChanges, webhookDeliveries, webhookRescheduleLinks } from "@/drizzle/schema/webhooks";
import type { Db } from "@/lib/db/types";
import { correlationForKey, correlationForUid } from "./correlation";

/**
 * Everything recorded about one booking, gathered from the tables each capability writes: the appointment and its uid
 * chain, the slot queries before it was requested, the Cal.com calls tagged with its idempotency key or uids, the
 * manual queue, webhooks, the watchdog, reconciliation, notifications and the audit log. Each list is bounded.
 */

const MAX_ROWS = 200;
/** Slot queries this long before the booking request are what the caller was offered. */
const OFFER_WINDOW_MS = 30 * 60_000;

/** Every uid the booking had: follows our reschedule history and the reschedule links webhooks recorded, both ways. */
export async function collectUidChain(db: Db, start: string[], appointmentId: number | null): Promise<string[]> {
  const uids = new Set(start.filter(Boolean));
  if (appointmentId) {
    for (const h of await db
      .select()
      .from(bookingUidHistory)
      .where(eq(bookingUidHistory.appointmentId, appointmentId))) {
      uids.add(h.fromUid);
      uids.add(h.toUid);
    }
  }
  for (let depth = 0; depth < 10; depth++) {
    const list = [...uids];
    if (list.length === 0) break;
    const links = await db
      .select()
      .from(webhookRescheduleLinks)
      .where(or(inArray(webhookRescheduleLinks.fromUid, list), inArray(webhookRescheduleLinks.toUid, list)));
    const before = uids.size;
    for (const l of links) {
      uids.add(l.fromUid);
      uids.add(l.toUid);
    }
    if (uids.size === before) break;
  }
  return [...uids];
}

export async function findAppointmentForUid(db: Db, uid: string): Promise<Appointment | null> {
  const chain = await collectUidChain(db, [uid], null);
  const [direct] = await db.select().from(appointments).where(inArray(appointments.calcomBookingUid, chain)).limit(1);
  if (direct) return direct;
  const [viaHistory] = await db
    .select({ a: appointments })
    .from(bookingUidHistory)
    .innerJoin(appointments, eq(appointments.id, bookingUidHistory.appointmentId))
    .where(or(inArray(bookingUidHistory.fromUid, chain), inArray(bookingUidHistory.toUid, chain)))
    .limit(1);
  return viaHistory?.a ?? null;
}

export type TimelineSources = Awaited<ReturnType<typeof loadTimelineSources>>;

export async function loadTimelineSources(
  db: Db,
  subject: { appointment: Appointment | null; uids: string[]; companyId: number | null },
) {
  const { appointment: appt, uids } = subject;
  const companyId = appt?.companyId ?? subject.companyId;
  const correlations = [
    ...(appt?.idempotencyKey ? [correlationForKey(appt.idempotencyKey)] : []),
    ...uids.map(correlationForUid),
  ];
  const [manual] = appt ? await db.select().from(manualBookings).where(eq(manualBookings.appointmentId, appt.id)) : [];

  // By uid only: webhook_deliveries_booking_received serves it (appointment_id has no index on this big table).
  const deliveries = uids.length
    ? await db
        .select({
          id: webhookDeliveries.id,
          receivedAt: webhookDeliveries.receivedAt,
          triggerEvent: webhookDeliveries.triggerEvent,
          bookingUid: webhookDeliveries.bookingUid,
          verdict: webhookDeliveries.verdict,
          verdictDetail: webhookDeliveries.verdictDetail,
          status: webhookDeliveries.status,
          outcome: webhookDeliveries.outcome,
          responseStatus: webhookDeliveries.responseStatus,
          attempts: webhookDeliveries.attempts,
          processedAt: webhookDeliveries.processedAt,
          duplicateOfId: webhookDeliveries.duplicateOfId,
        })
        .from(webhookDeliveries)
        .where(inArray(webhookDeliveries.bookingUid, uids))
        .orderBy(webhookDeliveries.receivedAt)
        .limit(MAX_ROWS)
    : [];

  const calls =
    companyId && correlations.length
      ? await db
          .select()
          .from(apiCalls)
          .where(and(eq(apiCalls.companyId, companyId), inArray(apiCalls.correlation, correlations)))
          .orderBy(apiCalls.id)
          .limit(MAX_ROWS)
      : [];

  const offered =
    appt && appt.calcomEventTypeId
      ? await db
          .select()
          .from(slotQueries)
          .where(
            and(
              eq(slotQueries.companyId, appt.companyId),
              eq(slotQueries.eventTypeId, appt.calcomEventTypeId),
              gte(slotQueries.at, new Date(appt.createdAt.getTime() - OFFER_WINDOW_MS)),
              lte(slotQueries.at, appt.createdAt),
            ),
          )
          // The 30-minute range on slot_queries_at bounds the scan, whatever the age of the appointment.
          .orderBy(desc(slotQueries.at))
          .limit(10)
      : [];

  const changes = appt
    ? await db
        .select()
        .from(webhookAppointmentChanges)
        .where(eq(webhookAppointmentChanges.appointmentId, appt.id))
        .orderBy(webhookAppointmentChanges.id)
        .limit(MAX_ROWS)
    : [];
  const history = appt
    ? await db
        .select()
        .from(bookingUidHistory)
        .where(eq(bookingUidHistory.appointmentId, appt.id))
        .orderBy(bookingUidHistory.id)
    : [];

  const reconcileWhere: SQL[] = [];
  if (appt) reconcileWhere.push(eq(reconcileItems.appointmentId, appt.id));
  if (uids.length) reconcileWhere.push(inArray(reconcileItems.bookingUid, uids));
  const findings = reconcileWhere.length
    ? await db
        .select()
        .from(reconcileItems)
        .where(or(...reconcileWhere))
        .orderBy(reconcileItems.id)
        .limit(MAX_ROWS)
    : [];

  const expectationWhere: SQL[] = [];
  if (appt) expectationWhere.push(eq(webhookExpectations.appointmentId, appt.id));
  if (companyId && uids.length)
    expectationWhere.push(
      and(eq(webhookExpectations.companyId, companyId), inArray(webhookExpectations.bookingUid, uids))!,
    );
  const expectations = expectationWhere.length
    ? await db
        .select()
        .from(webhookExpectations)
        .where(or(...expectationWhere))
        .orderBy(webhookExpectations.id)
        .limit(MAX_ROWS)
    : [];

  const targets: SQL[] = [];
  if (appt) targets.push(and(eq(auditLog.targetType, "appointment"), eq(auditLog.targetId, String(appt.id)))!);
  if (uids.length) targets.push(and(eq(auditLog.targetType, "booking"), inArray(auditLog.targetId, uids))!);
  if (manual) targets.push(and(eq(auditLog.targetType, "manual_booking"), eq(auditLog.targetId, String(manual.id)))!);
  if (findings.length)
    targets.push(
      and(
        eq(auditLog.targetType, "reconcile_item"),
        inArray(
          auditLog.targetId,
          findings.map((f) => String(f.id)),
        ),
      )!,
    );
  if (deliveries.length)
    targets.push(
      and(
        eq(auditLog.targetType, "webhook_delivery"),
        inArray(
          auditLog.targetId,
          deliveries.map((d) => String(d.id)),
        ),
      )!,
    );
  const audit = targets.length
    ? await db
        .select()
        .from(auditLog)
        .where(or(...targets))
        .orderBy(auditLog.id)
        .limit(MAX_ROWS)
    : [];

  const notifications = manual
    ? await db
        .select({
          id: outboxMessages.id,
          channel: outboxMessages.channel,
          topic: outboxMessages.topic,
          subject: outboxMessages.subject,
          state: outboxMessages.state,
          createdAt: outboxMessages.createdAt,
          sentAt: outboxMessages.sentAt,
          lastError: outboxMessages.lastError,
        })
        .from(outboxMessages)
        .where(
          and(
            eq(outboxMessages.companyId, manual.companyId),
            inArray(outboxMessages.dedupeKey, [
              `manual-booking:${manual.id}:queued`,
              `manual-booking:${manual.id}:conflict`,
            ]),
          ),
        )
        .orderBy(outboxMessages.id)
    : [];

  // Breaker transitions while the booking was in flight tell why calls were refused.
  const times = [...calls.map((c) => c.at.getTime()), ...(appt ? [appt.createdAt.getTime()] : [])];
  const circuit =
    companyId && times.length
      ? await db
          .select()
          .from(circuitEvents)
          .where(
            and(
              eq(circuitEvents.companyId, companyId),
              gte(circuitEvents.at, new Date(Math.min(...times) - 10 * 60_000)),
              lte(circuitEvents.at, new Date(Math.max(...times) + 60_000)),
            ),
          )
          .orderBy(circuitEvents.id)
          .limit(20)
      : [];

  return {
    companyId,
    manual: manual ?? null,
    deliveries,
    calls,
    offered,
    changes,
    history,
    findings,
    expectations,
    audit,
    notifications,
    circuit,
  };
}
