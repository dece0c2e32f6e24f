import "server-only";
import * as clock from "@/lib/time/clock";
import { and, asc, eq, gt, inArray, ne, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { appointments, companies, services, type Appointment } from "@/drizzle/schema/core";
import {
  RECONCILE_CLASSES,
  RECONCILE_FIXES,
  reconcileItems,
  type ReconcileClass,
  type ReconcileFix,
  type ReconcileItem,
} from "@/drizzle/schema/reconcile";
import { writeAudit } from "@/lib/audit/audit";
import { actorLabel, type Actor } from "@/lib/auth/roles";
import { createCalcomHttp, type CalcomHttp } from "@/lib/calcom/client";
import { cancelBooking, createBooking, getBooking, rescheduleBooking } from "@/lib/calcom/endpoints";
import type { CalcomBooking } from "@/lib/calcom/schemas";
import type { Db, Tx } from "@/lib/db/types";
import { appointmentAttendee } from "@/lib/booking/calcom-attempt";
import { AppError, safeErrorMessage } from "@/lib/errors";
import { correlationForUid } from "@/lib/timeline/correlation";
import { expectAround, expectWebhook } from "@/lib/watchdog/expectations";
import { toRemoteRow } from "./remote";
import { ALLOWED_FIXES } from "./fix-rules";
import { adoptedLocalStatus } from "./status-map";

export const fixItemSchema = z.object({ fix: z.enum(RECONCILE_FIXES), reason: z.string().trim().max(500).optional() });
export const bulkFixSchema = fixItemSchema.extend({ class: z.enum(RECONCILE_CLASSES) });

/** What a fix changed, for the item's audit entry and the sibling items it settles. */
type Effect = {
  appointmentIds: number[];
  bookingUids: string[];
  details: Record<string, unknown>;
  apply: (tx: Tx) => Promise<void>;
};

async function loadAppointment(db: Db | Tx, id: number | null): Promise<Appointment> {
  if (!id) throw new AppError("BAD_REQUEST", "This item has no local appointment");
  const [row] = await db.select().from(appointments).where(eq(appointments.id, id));
  if (!row) throw new AppError("NOT_FOUND", `Appointment ${id} no longer exists`);
  return row;
}

function adoptFields(booking: CalcomBooking, current: Appointment | null) {
  const r = toRemoteRow(booking);
  return {
    status: adoptedLocalStatus(r.status, current?.status ?? null),
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    calcomEventTypeId: r.eventTypeId ?? current?.calcomEventTypeId ?? null,
    calcomBookingUid: r.uid,
    calcomBookingId: r.bookingId,
    syncStatus: "synced" as const,
    syncError: null,
    updatedAt: clock.now(),
  };
}

async function serviceFor(db: Db, companyId: number, eventTypeId: number | null): Promise<number | null> {
  if (!eventTypeId) return null;
  const [row] = await db
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.companyId, companyId), eq(services.calcomEventTypeId, eventTypeId)))
    .limit(1);
  return row?.id ?? null;
}

const setAppointment = (id: number, values: Partial<typeof appointments.$inferInsert>) => (tx: Tx) =>
  tx
    .update(appointments)
    .set({ ...values, updatedAt: clock.now() })
    .where(eq(appointments.id, id))
    .then(() => {});

/** Decides and performs the Cal.com side of a fix; returns the local change to commit with the audit entry. */
async function plan(db: Db, http: CalcomHttp, item: ReconcileItem, fix: ReconcileFix): Promise<Effect> {
  const uid = item.bookingUid;
  if (uid) http.correlation = correlationForUid(uid);
  if (fix === "ignore") return { appointmentIds: [], bookingUids: [], details: {}, apply: async () => {} };
  switch (`${item.class}:${fix}`) {
    case "missing_in_calcom:push": {
      const a = await loadAppointment(db, item.appointmentId);
      const eventTypeId =
        a.calcomEventTypeId ??
        (a.serviceId
          ? (await db.select({ e: services.calcomEventTypeId }).from(services).where(eq(services.id, a.serviceId)))[0]
              ?.e
          : null);
      if (!eventTypeId) throw new AppError("BAD_REQUEST", "The appointment has no Cal.com event type to book");
      const sentAt = new Date();
      const created = await createBooking(http, {
        eventTypeId,
        start: a.startsAt,
        attendee: appointmentAttendee(a, "Customer"),
        metadata: { appointment_id: String(a.id), source: "reconcile" },
      });
      await expectWebhook(db, {
        companyId: item.companyId,
        appointmentId: a.id,
        action: "create",
        bookingUid: created.data.uid,
        since: sentAt,
      });
      const fields = adoptFields(created.data, a);
      return {
        appointmentIds: [a.id],
        bookingUids: [created.data.uid],
        details: { created: created.data.uid },
        apply: setAppointment(a.id, { ...fields, status: a.status }),
      };
    }
    case "missing_in_calcom:adopt": {
      const a = await loadAppointment(db, item.appointmentId);
      return {
        appointmentIds: [a.id],
        bookingUids: [],
        details: { status: { from: a.status, to: "cancelled" } },
        apply: setAppointment(a.id, {
          status: "cancelled",
          syncStatus: "synced",
          syncError: "Cancelled by reconciliation: Cal.com has no booking",
        }),
      };
    }
    case "missing_in_calcom:link":
    case "missing_locally:link": {
      const apptId = item.class === "missing_locally" ? item.related?.candidateAppointmentId : item.appointmentId;
      const bookingUid = item.class === "missing_in_calcom" ? item.related?.candidateBookingUid : uid;
      if (!apptId || !bookingUid)
        throw new AppError("BAD_REQUEST", "No link candidate was found for this item; adopt or push instead");
      const a = await loadAppointment(db, apptId);
      const booking = (await getBooking(http, bookingUid)).data;
      return {
        appointmentIds: [a.id],
        bookingUids: [bookingUid],
        details: { linked: bookingUid },
        apply: setAppointment(a.id, {
          calcomBookingUid: booking.uid,
          calcomBookingId: booking.id,
          calcomEventTypeId: toRemoteRow(booking).eventTypeId ?? a.calcomEventTypeId,
          syncStatus: "synced",
          syncError: null,
        }),
      };
    }
    case "missing_locally:adopt": {
      const booking = (await getBooking(http, requireUid(uid))).data;
      const fields = adoptFields(booking, null);
      const attendee = booking.attendees?.[0];
      const [company] = await db
        .select({ timeZone: companies.timeZone })
        .from(companies)
        .where(eq(companies.id, item.companyId));
      const serviceId = await serviceFor(db, item.companyId, fields.calcomEventTypeId);
      return {
        appointmentIds: [],
        bookingUids: [booking.uid],
        details: { adopted: booking.uid },
        apply: async (tx) => {
          await tx.insert(appointments).values({
            ...fields,
            companyId: item.companyId,
            serviceId,
            timeZone: attendee?.timeZone ?? company?.timeZone ?? "UTC",
            attendeeName: attendee?.name ?? null,
            attendeeEmail: attendee?.email ?? null,
          });
        },
      };
    }
    case "missing_locally:push": {
      await expectAround(db, { companyId: item.companyId, action: "cancel", bookingUid: requireUid(uid) }, () =>
        cancelBooking(http, requireUid(uid), { cancellationReason: "No matching appointment (reconciliation)" }),
      );
      return { appointmentIds: [], bookingUids: [requireUid(uid)], details: { cancelled: uid }, apply: async () => {} };
    }
    case "status_mismatch:adopt":
    case "time_mismatch:adopt":
    case "event_type_mismatch:adopt": {
      const a = await loadAppointment(db, item.appointmentId);
      const booking = (await getBooking(http, requireUid(uid))).data;
      const fields = adoptFields(booking, a);
      const serviceId =
        fields.calcomEventTypeId !== a.calcomEventTypeId
          ? ((await serviceFor(db, a.companyId, fields.calcomEventTypeId)) ?? a.serviceId)
          : a.serviceId;
      return {
        appointmentIds: [a.id],
        bookingUids: [booking.uid],
        details: {
          before: { status: a.status, startsAt: a.startsAt, eventTypeId: a.calcomEventTypeId },
          after: { status: fields.status, startsAt: fields.startsAt, eventTypeId: fields.calcomEventTypeId },
        },
        apply: setAppointment(a.id, { ...fields, serviceId }),
      };
    }
    case "status_mismatch:push": {
      const a = await loadAppointment(db, item.appointmentId);
      if (a.status !== "cancelled" && a.status !== "rejected") {
        throw new AppError(
          "BAD_REQUEST",
          `Cal.com cannot reopen a ${String(item.calcom?.status ?? "cancelled")} booking; adopt Cal.com's state, or book again`,
        );
      }
      await expectAround(
        db,
        { companyId: item.companyId, appointmentId: a.id, action: "cancel", bookingUid: requireUid(uid) },
        () => cancelBooking(http, requireUid(uid), { cancellationReason: "Cancelled locally (reconciliation)" }),
      );
      return {
        appointmentIds: [a.id],
        bookingUids: [requireUid(uid)],
        details: { cancelled: uid },
        apply: async () => {},
      };
    }
    case "time_mismatch:push": {
      const a = await loadAppointment(db, item.appointmentId);
      // Reschedule creates a new booking (new uid and id); the old one becomes cancelled (contract §6.3).
      const moved = await expectAround(
        db,
        { companyId: item.companyId, appointmentId: a.id, action: "reschedule", bookingUid: requireUid(uid) },
        () =>
          rescheduleBooking(http, requireUid(uid), {
            start: a.startsAt,
            reschedulingReason: "Aligned with the local appointment (reconciliation)",
          }),
      );
      return {
        appointmentIds: [a.id],
        bookingUids: [requireUid(uid), moved.data.uid],
        details: { from: uid, to: moved.data.uid },
        apply: setAppointment(a.id, {
          calcomBookingUid: moved.data.uid,
          calcomBookingId: moved.data.id,
          endsAt: new Date(moved.data.end),
          syncStatus: "synced",
          syncError: null,
        }),
      };
    }
    case "duplicate_calcom:push": {
      const members = item.related?.bookings ?? [];
      const keep = members.find((m) => m.linkedAppointmentId) ?? members[0];
      const extra = members.filter((m) => m.uid !== keep?.uid);
      for (const m of extra)
        await expectAround(
          db,
          {
            companyId: item.companyId,
            appointmentId: m.linkedAppointmentId ?? null,
            action: "cancel",
            bookingUid: m.uid,
          },
          () => cancelBooking(http, m.uid, { cancellationReason: "Duplicate booking (reconciliation)" }),
        );
      return {
        appointmentIds: [],
        bookingUids: extra.map((m) => m.uid),
        details: { kept: keep?.uid, cancelled: extra.map((m) => m.uid) },
        apply: async () => {},
      };
    }
    case "duplicate_local:adopt": {
      const members = item.related?.appointments ?? [];
      const keep = members.find((m) => m.bookingUid) ?? members[0];
      const extra = members.filter((m) => m.id !== keep?.id).map((m) => m.id);
      return {
        appointmentIds: extra,
        bookingUids: [],
        details: { kept: keep?.id, cancelled: extra },
        apply: async (tx) => {
          if (extra.length)
            await tx
              .update(appointments)
              .set({ status: "cancelled", syncError: "Duplicate appointment (reconciliation)", updatedAt: clock.now() })
              .where(inArray(appointments.id, extra));
        },
      };
    }
    default:
      throw new AppError("BAD_REQUEST", `"${fix}" cannot fix a ${item.class.replace(/_/g, " ")} item`);
  }
}

function requireUid(uid: string | null): string {
  if (!uid) throw new AppError("BAD_REQUEST", "This item has no Cal.com booking");
  return uid;
}

/** Applies one fix; Cal.com first, then the local change, the item's state and the audit entry in one transaction. */
export async function applyReconcileFix(
  db: Db,
  opts: { itemId: number; fix: ReconcileFix; reason?: string; actor: Actor; http?: CalcomHttp },
): Promise<ReconcileItem> {
  const [item] = await db.select().from(reconcileItems).where(eq(reconcileItems.id, opts.itemId));
  if (!item) throw new AppError("NOT_FOUND", `Reconciliation item ${opts.itemId} not found`);
  if (item.status !== "open" && item.status !== "failed")
    throw new AppError("CONFLICT", `Item ${item.id} is already ${item.status}`);
  if (!ALLOWED_FIXES[item.class].includes(opts.fix))
    throw new AppError("BAD_REQUEST", `"${opts.fix}" cannot fix a ${item.class.replace(/_/g, " ")} item`);
  const http = opts.http ?? (await createCalcomHttp(db, item.companyId));
  let effect: Effect;
  try {
    effect = await plan(db, http, item, opts.fix);
  } catch (error) {
    const message = safeErrorMessage(error, "Unexpected error");
    await db
      .update(reconcileItems)
      .set({ status: "failed", error: message.slice(0, 500) })
      .where(eq(reconcileItems.id, item.id));
    throw error;
  }
  const label = actorLabel(opts.actor);
  return db.transaction(async (tx) => {
    await effect.apply(tx);
    const [updated] = await tx
      .update(reconcileItems)
      .set({
        status: opts.fix === "ignore" ? "ignored" : "fixed",
        fix: opts.fix,
        resolvedAt: clock.now(),
        resolvedBy: label,
        error: null,
      })
      .where(eq(reconcileItems.id, item.id))
      .returning();
    // Items of the same run about the same appointment or booking are settled by this fix too.
    const touched: SQL[] = [];
    if (effect.appointmentIds.length) touched.push(inArray(reconcileItems.appointmentId, effect.appointmentIds));
    if (effect.bookingUids.length) touched.push(inArray(reconcileItems.bookingUid, effect.bookingUids));
    if (touched.length) {
      await tx
        .update(reconcileItems)
        .set({ status: "fixed", fix: opts.fix, resolvedAt: clock.now(), resolvedBy: `${label} (with item ${item.id})` })
        .where(
          and(
            eq(reconcileItems.runId, item.runId),
            ne(reconcileItems.id, item.id),
            inArray(reconcileItems.status, ["open", "failed"]),
            or(...touched),
          ),
        );
    }
    await writeAudit(tx, {
      actor: opts.actor,
      action: "reconcile.fix",
      targetType: "reconcile_item",
      targetId: item.id,
      companyId: item.companyId,
      reason: opts.reason ?? null,
      details: {
        runId: item.runId,
        class: item.class,
        fix: opts.fix,
        appointmentId: item.appointmentId,
        bookingUid: item.bookingUid,
        ...effect.details,
      },
    });
    return updated!;
  });
}

/** Applies one fix to every open item of a class in a run, item by item (each audited); failures are counted, not fatal. */
export async function bulkReconcileFix(
  db: Db,
  opts: { runId: number; class: ReconcileClass; fix: ReconcileFix; reason?: string; actor: Actor },
) {
  if (!ALLOWED_FIXES[opts.class].includes(opts.fix))
    throw new AppError("BAD_REQUEST", `"${opts.fix}" cannot fix ${opts.class.replace(/_/g, " ")} items`);
  let fixed = 0;
  const failures: { itemId: number; message: string }[] = [];
  let cursor = 0;
  let http: CalcomHttp | undefined;
  for (;;) {
    const batch = await db
      .select({ id: reconcileItems.id, companyId: reconcileItems.companyId, status: reconcileItems.status })
      .from(reconcileItems)
      .where(
        and(
          eq(reconcileItems.runId, opts.runId),
          eq(reconcileItems.class, opts.class),
          eq(reconcileItems.status, "open"),
          gt(reconcileItems.id, cursor),
        ),
      )
      .orderBy(asc(reconcileItems.id))
      .limit(100);
    if (!batch.length) break;
    for (const row of batch) {
      cursor = row.id;
      http ??= await createCalcomHttp(db, row.companyId);
      try {
        await applyReconcileFix(db, { itemId: row.id, fix: opts.fix, reason: opts.reason, actor: opts.actor, http });
        fixed++;
      } catch (error) {
        // Settled meanwhile by a sibling's fix: not a failure.
        if (error instanceof AppError && error.code === "CONFLICT") continue;
        failures.push({ itemId: row.id, message: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  await writeAudit(db, {
    actor: opts.actor,
    action: "reconcile.bulk-fix",
    targetType: "reconcile_run",
    targetId: opts.runId,
    companyId: http?.company.id ?? null,
    reason: opts.reason ?? null,
    details: { class: opts.class, fix: opts.fix, fixed, failed: failures.length },
  });
  return { fixed, failed: failures.length, failures: failures.slice(0, 20) };
}
