import "server-only";
import * as clock from "@/lib/time/clock";
import { and, desc, eq, isNull, like, or, sql } from "drizzle-orm";
import { bookingUidHistory } from "@/drizzle/schema/booking";
import {
  appointments,
  companies,
  services,
  staff,
  type Appointment,
  type AppointmentStatus,
} from "@/drizzle/schema/core";
import {
  webhookAppointmentChanges,
  webhookRescheduleLinks,
  webhookUnmatchedBookings,
  type WebhookDelivery,
} from "@/drizzle/schema/webhooks";
import { recordset, textList } from "@/lib/db/recordset";
import { queryRows, type DbOrTx } from "@/lib/db/types";
import { parseInstant, PermanentProcessingError, type BookingPayload } from "./payload";

/** Shared by the per-trigger handlers: locks, lookups, state ranks and the before/after history. */

export type ApplyResult = { status: "processed" | "ignored"; outcome: string; appointmentId?: number | null };
export type ApplyContext = {
  tx: DbOrTx;
  delivery: WebhookDelivery;
  companyId: number;
  /**
   * From a batch (batch.ts): true when no appointment, reschedule link or parked booking had this uid as the batch
   * began and no earlier delivery of the batch touched it, so its lookups would find nothing and are skipped.
   */
  isFresh?: (uid: string) => boolean;
  /**
   * From a batch: a new appointment for a fresh uid may be left to the batch, which inserts all of them and their
   * history rows with one statement each (insertDeferredCreates) and then fills in their results.
   */
  deferCreate?: (create: DeferredCreate) => void;
};

/** The columns a new appointment from a booking sets; the rest keep their defaults. */
const NEW_APPOINTMENT_KEYS = [
  "companyId",
  "serviceId",
  "staffId",
  "startsAt",
  "endsAt",
  "timeZone",
  "status",
  "attendeeName",
  "attendeeEmail",
  "attendeePhone",
  "calcomBookingId",
  "calcomBookingUid",
  "calcomEventTypeId",
  "syncStatus",
] as const satisfies readonly (keyof Appointment)[];
type NewAppointment = Pick<Appointment, (typeof NEW_APPOINTMENT_KEYS)[number]>;
/** A new appointment (for a fresh uid) and its history note, to be inserted by the batch. */
export type DeferredCreate = { deliveryId: number; uid: string; change: string; values: NewAppointment };

/**
 * Progress order of an appointment. A change applies only forward (or to the same rank), so a late event never
 * undoes a newer one: a CANCELLED before its CREATED stays cancelled, a late REQUESTED never un-confirms.
 */
const RANK: Record<AppointmentStatus, number> = {
  requires_manual_booking: 0,
  pending: 1,
  confirmed: 2,
  completed: 3,
  no_show: 3,
  cancelled: 9,
  rejected: 9,
};
export const isForward = (from: AppointmentStatus, to: AppointmentStatus) =>
  RANK[to] >= RANK[from] && !(RANK[from] === 9 && from !== to);
export const isTerminal = (status: AppointmentStatus) => RANK[status] === 9;

/** The history note of a BOOKING_CANCELLED with requestReschedule:true (contract §8.4); read back by the reschedule. */
export const REQUEST_RESCHEDULE_NOTE = "host requested a reschedule";

/** Whether the appointment was cancelled by the host's "request reschedule" (its history says so). */
export async function wasRescheduleRequested(tx: DbOrTx, appointmentId: number): Promise<boolean> {
  const c = webhookAppointmentChanges;
  const [row] = await tx
    .select({ id: c.id })
    .from(c)
    .where(and(eq(c.appointmentId, appointmentId), like(c.change, `%${REQUEST_RESCHEDULE_NOTE}%`)))
    .limit(1);
  return Boolean(row);
}

/** The appointment's uid chain (booking_uid_history), so it is found by any of its earlier uids. */
export async function recordUidMove(
  tx: DbOrTx,
  appt: Appointment,
  to: { uid: string; startsAt: Date },
  reason: string,
): Promise<void> {
  if (!appt.calcomBookingUid || appt.calcomBookingUid === to.uid) return;
  await tx.insert(bookingUidHistory).values({
    appointmentId: appt.id,
    fromUid: appt.calcomBookingUid,
    toUid: to.uid,
    fromStartsAt: appt.startsAt,
    toStartsAt: to.startsAt,
    reason,
  });
}

/** The booking locks each transaction holds: a transaction-scoped lock is taken once, however often it is asked for. */
const heldLocks = new WeakMap<DbOrTx, Set<string>>();

/**
 * Serialises every event of one booking uid across instances (held until the transaction ends). The uids are locked
 * in sorted order in one statement (a batch locks all of its uids up front), so two batches never wait on each other
 * in opposite orders.
 */
export async function lockBookings(tx: DbOrTx, uids: (string | null | undefined)[]): Promise<void> {
  let held = heldLocks.get(tx);
  if (!held) heldLocks.set(tx, (held = new Set()));
  const wanted = [...new Set(uids.filter((u): u is string => Boolean(u) && !held.has(u!)))].sort();
  if (wanted.length === 0) return;
  const keys = textList(wanted.map((uid) => `calcom-booking:${uid}`));
  // The list is scanned in the order written, so the locks are taken in sorted order.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(k)) from ${keys}`);
  for (const uid of wanted) held.add(uid);
}

/**
 * Lookups of reference data (a company's zone, the service of an event type, a staff member) that deliveries never
 * change, remembered for the transaction: a batch of 50 deliveries for one event type asks once, not 50 times.
 */
const txMemos = new WeakMap<DbOrTx, Map<string, Promise<unknown>>>();
function memoInTx<T>(tx: DbOrTx, key: string, load: () => PromiseLike<T>): Promise<T> {
  let memo = txMemos.get(tx);
  if (!memo) txMemos.set(tx, (memo = new Map()));
  let hit = memo.get(key) as Promise<T> | undefined;
  // Promise.resolve runs a query builder (a lazy thenable) once and keeps its answer.
  if (!hit) memo.set(key, (hit = Promise.resolve(load())));
  return hit;
}

export async function findAppointment(tx: DbOrTx, uid: string): Promise<Appointment | undefined> {
  const [row] = await tx.select().from(appointments).where(eq(appointments.calcomBookingUid, uid)).for("update");
  return row;
}

export async function findLinkFrom(tx: DbOrTx, uid: string) {
  const [row] = await tx.select().from(webhookRescheduleLinks).where(eq(webhookRescheduleLinks.fromUid, uid));
  return row;
}

/** Follows the reschedule chain forward from a uid (old -> new -> newer) to its last known uid. */
export async function latestUid(tx: DbOrTx, uid: string): Promise<string> {
  let current = uid;
  for (let i = 0; i < 50; i++) {
    const link = await findLinkFrom(tx, current);
    if (!link) break;
    current = link.toUid;
  }
  return current;
}

type Snapshotted = Pick<
  Appointment,
  | "id"
  | "status"
  | "startsAt"
  | "endsAt"
  | "calcomBookingUid"
  | "calcomBookingId"
  | "calcomEventTypeId"
  | "serviceId"
  | "staffId"
  | "attendeeName"
  | "attendeeEmail"
>;
function snapshot(a: Snapshotted | undefined | null): Record<string, unknown> | null {
  if (!a) return null;
  return {
    id: a.id,
    status: a.status,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    calcomBookingUid: a.calcomBookingUid,
    calcomBookingId: a.calcomBookingId,
    calcomEventTypeId: a.calcomEventTypeId,
    serviceId: a.serviceId,
    staffId: a.staffId,
    attendeeName: a.attendeeName,
    attendeeEmail: a.attendeeEmail,
  };
}

export async function recordChange(
  ctx: ApplyContext,
  opts: { uid: string; change: string; before: Appointment | null | undefined; after: Appointment | null | undefined },
): Promise<void> {
  await ctx.tx.insert(webhookAppointmentChanges).values({
    deliveryId: ctx.delivery.id,
    appointmentId: opts.after?.id ?? opts.before?.id ?? null,
    companyId: ctx.companyId,
    bookingUid: opts.uid,
    change: opts.change,
    before: snapshot(opts.before),
    after: snapshot(opts.after),
  });
}

export function assertSameCompany(ctx: ApplyContext, appointment: Appointment): void {
  if (appointment.companyId !== ctx.companyId) {
    throw new PermanentProcessingError(
      `Booking ${appointment.calcomBookingUid} belongs to company ${appointment.companyId}, but the delivery was verified for company ${ctx.companyId}`,
    );
  }
}

export async function updateAppointment(
  ctx: ApplyContext,
  current: Appointment,
  set: Partial<Appointment>,
  change: string,
  uid: string,
): Promise<Appointment> {
  const [after] = await ctx.tx
    .update(appointments)
    .set({ ...set, updatedAt: clock.now() })
    .where(eq(appointments.id, current.id))
    .returning();
  await recordChange(ctx, { uid, change, before: current, after });
  return after!;
}

/**
 * A booking we have no appointment for (made directly in Cal.com): create one when its event type maps to one of
 * the company's services, else park it as unmatched. Terminal statuses are stored too, so a late CREATED finds them.
 */
export async function createOrPark(
  ctx: ApplyContext,
  p: BookingPayload,
  status: AppointmentStatus,
  change: string,
): Promise<ApplyResult> {
  const startsAt = parseInstant(p.startTime, "startTime");
  const endsAt = parseInstant(p.endTime, "endTime");
  const own = await findOwnRequest(ctx, p);
  if (own) {
    // §8.2: the webhook came before the booking flow stored Cal.com's answer. The booking echoes our metadata, so it is
    // this request: folded into its appointment, never a second one (the flow then finds its uid already set).
    const set: Partial<Appointment> = {
      calcomBookingUid: p.uid,
      calcomBookingId: p.bookingId ?? own.calcomBookingId,
      startsAt,
      endsAt,
      syncStatus: "synced",
    };
    if (isForward(own.status, status)) set.status = status;
    const after = await updateAppointment(
      ctx,
      own,
      set,
      `webhook before the API answer: folded in by metadata.idempotencyKey (${change})`,
      p.uid,
    );
    return {
      status: "processed",
      outcome: `Booking ${p.uid} is the app's own request: folded into appointment #${after.id} (${after.status})`,
      appointmentId: after.id,
    };
  }
  const attendee = p.attendees?.[0];
  const { tx, companyId } = ctx;
  const eventTypeId = p.eventTypeId;
  const [service] = eventTypeId
    ? await memoInTx(tx, `service:${companyId}:${eventTypeId}`, () =>
        tx
          .select({ id: services.id })
          .from(services)
          .where(and(eq(services.companyId, companyId), eq(services.calcomEventTypeId, eventTypeId)))
          .orderBy(desc(services.isActive), services.id)
          .limit(1),
      )
    : [];
  if (!service) return park(ctx, p, status, { startsAt, endsAt });
  const [company] = await memoInTx(tx, `company:${companyId}`, () =>
    tx.select({ timeZone: companies.timeZone }).from(companies).where(eq(companies.id, companyId)),
  );
  const organizer = p.organizer;
  const staffMatch =
    organizer?.id || organizer?.email
      ? await memoInTx(tx, `staff:${companyId}:${organizer.id ?? ""}:${organizer.email ?? ""}`, () =>
          tx
            .select({ id: staff.id })
            .from(staff)
            .where(
              and(
                eq(staff.companyId, companyId),
                or(
                  organizer.id ? eq(staff.calcomUserId, organizer.id) : sql`false`,
                  organizer.email ? eq(staff.email, organizer.email) : sql`false`,
                ),
              ),
            )
            .limit(1),
        )
      : [];
  const values: NewAppointment = {
    companyId: ctx.companyId,
    serviceId: service.id,
    staffId: staffMatch[0]?.id ?? null,
    startsAt,
    endsAt,
    timeZone: company?.timeZone ?? "UTC",
    status,
    attendeeName: attendee?.name ?? null,
    attendeeEmail: attendee?.email ?? null,
    attendeePhone: attendee?.phoneNumber ?? null,
    calcomBookingId: p.bookingId ?? null,
    calcomBookingUid: p.uid,
    calcomEventTypeId: p.eventTypeId ?? null,
    syncStatus: "synced",
  };
  if (ctx.deferCreate && ctx.isFresh?.(p.uid)) {
    ctx.deferCreate({ deliveryId: ctx.delivery.id, uid: p.uid, change, values });
    // The batch replaces this with the created appointment's result once it has inserted it.
    return { status: "processed", outcome: `Creating an appointment for booking ${p.uid}`, appointmentId: null };
  }
  const [created] = await ctx.tx.insert(appointments).values(values).returning();
  if (!ctx.isFresh?.(p.uid))
    await ctx.tx.delete(webhookUnmatchedBookings).where(eq(webhookUnmatchedBookings.bookingUid, p.uid));
  await recordChange(ctx, { uid: p.uid, change, before: null, after: created });
  return createdResult(created!.id, status, p.uid);
}

const createdResult = (id: number, status: AppointmentStatus, uid: string): ApplyResult => ({
  status: "processed",
  outcome: `Created appointment #${id} (${status}) for booking ${uid}`,
  appointmentId: id,
});

/**
 * The batch's deferred creations (createOrPark with deferCreate): every appointment in one INSERT, every history row
 * in another, each from one jsonb recordset. Returns each delivery's result, as createOrPark would have.
 */
export async function insertDeferredCreates(
  tx: DbOrTx,
  creates: readonly DeferredCreate[],
): Promise<Map<number, ApplyResult>> {
  if (creates.length === 0) return new Map();
  const at = clock.now();
  const rows = recordset(
    appointments,
    [...NEW_APPOINTMENT_KEYS, "createdAt", "updatedAt"],
    creates.map((c) => ({ ...c.values, createdAt: at, updatedAt: at })),
  );
  const inserted = await queryRows<{ id: number; uid: string }>(
    tx,
    sql`insert into ${appointments} (${rows.columns}) select ${rows.values} from ${rows.from}
        returning id, calcom_booking_uid as uid`,
  );
  const idOf = new Map(inserted.map((r) => [r.uid, Number(r.id)]));
  const created = creates.map((c) => {
    const id = idOf.get(c.uid);
    if (id === undefined) throw new Error(`appointment for booking ${c.uid} was not inserted`);
    return { ...c, id };
  });
  const changes = recordset(
    webhookAppointmentChanges,
    ["deliveryId", "appointmentId", "companyId", "bookingUid", "change", "before", "after", "at"],
    created.map((c) => ({
      deliveryId: c.deliveryId,
      appointmentId: c.id,
      companyId: c.values.companyId,
      bookingUid: c.uid,
      change: c.change,
      before: null,
      after: snapshot({ ...c.values, id: c.id }),
      at,
    })),
  );
  await tx.execute(
    sql`insert into ${webhookAppointmentChanges} (${changes.columns}) select ${changes.values} from ${changes.from}`,
  );
  return new Map(created.map((c) => [c.deliveryId, createdResult(c.id, c.values.status, c.uid)]));
}

/** The appointment whose metadata.idempotencyKey the booking carries (the booking flow sends it), still without a uid. */
async function findOwnRequest(ctx: ApplyContext, p: BookingPayload): Promise<Appointment | undefined> {
  const key = p.metadata?.idempotencyKey;
  if (typeof key !== "string" || !key) return undefined;
  const [row] = await ctx.tx
    .select()
    .from(appointments)
    .where(
      and(
        eq(appointments.companyId, ctx.companyId),
        eq(appointments.idempotencyKey, key),
        isNull(appointments.calcomBookingUid),
      ),
    )
    .for("update");
  return row;
}

async function park(
  ctx: ApplyContext,
  p: BookingPayload,
  status: AppointmentStatus,
  times: { startsAt: Date; endsAt: Date },
): Promise<ApplyResult> {
  const u = webhookUnmatchedBookings;
  const [existing] = ctx.isFresh?.(p.uid)
    ? []
    : await ctx.tx.select().from(u).where(eq(u.bookingUid, p.uid)).for("update");
  const why = p.eventTypeId
    ? `event type ${p.eventTypeId} maps to no service of this company`
    : "the payload names no event type";
  if (existing && !isForward(existing.status as AppointmentStatus, status)) {
    return {
      status: "ignored",
      outcome: `Unmatched booking ${p.uid} is already ${existing.status}; a late ${status} does not change it`,
    };
  }
  const values = {
    companyId: ctx.companyId,
    bookingUid: p.uid,
    bookingId: p.bookingId ?? null,
    eventTypeId: p.eventTypeId ?? null,
    status,
    ...times,
    attendeeEmail: p.attendees?.[0]?.email ?? null,
    lastDeliveryId: ctx.delivery.id,
  };
  if (existing)
    await ctx.tx
      .update(u)
      .set({ ...values, updatedAt: clock.now() })
      .where(eq(u.id, existing.id));
  else await ctx.tx.insert(u).values(values);
  return {
    status: "processed",
    outcome: `Unmatched: ${why}; booking ${p.uid} parked as ${status} (map the event type to a service, then reprocess)`,
  };
}
