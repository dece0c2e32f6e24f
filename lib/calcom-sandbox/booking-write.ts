import { eq, sql } from "drizzle-orm";
import {
  sandboxBookings,
  type SandboxBooking,
  type SandboxEventType,
  type SandboxHost,
  type SandboxUser,
} from "@/drizzle/schema/sandbox";
import type { Db, DbOrTx } from "@/lib/db/types";
import type { AttendeeInput } from "./booking-input";
import { newBookingUid } from "./booking-output";
import { MSG } from "./constants";
import { badRequest, SandboxHttpError } from "./http";
import { addSeat, findOpenSeatBooking, newSeatUid } from "./seats";
import { checkBookable } from "./slots-engine";
import { getUsers, loadBusyBookings } from "./store";

/** Booking writes serialise on one advisory lock so two racing creates can never both take a slot. */
const BOOKING_LOCK_ID = 7_342_101;

export type BookingSpec = {
  eventType: SandboxEventType;
  start: Date;
  lengthMinutes: number;
  attendees: SandboxBooking["attendees"];
  guests: string[] | null;
  location: string;
  metadata: Record<string, unknown>;
  responses: Record<string, unknown>;
  status: "accepted" | "pending";
  now: Date;
  /** Reschedules: the booking being moved (its own time does not block) and the host to keep when free. */
  excludeUid?: string | null;
  preferHostId?: number | null;
  reschedule?: { fromUid: string; reason: string | null; byEmail: string | null };
  /** Recurring series (§8.8): the series uid every occurrence carries. */
  recurringBookingUid?: string | null;
};

export function hostOutput(u: SandboxUser): SandboxHost {
  return { id: u.id, name: u.name ?? u.username, email: u.email, username: u.username, timeZone: u.timeZone };
}

/** A location object is reduced to the text Cal.com shows: its address, link or phone, or the integration. */
export function reduceLocation(value: unknown, fallback: string): string {
  if (typeof value === "string" && value) return value;
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    for (const key of ["address", "link", "phone", "location"])
      if (typeof v[key] === "string" && v[key]) return v[key] as string;
    if (typeof v.integration === "string" && v.integration !== "cal-video") return `integrations:${v.integration}`;
    if (v.integration === "cal-video") return "integrations:daily";
  }
  return fallback;
}

export function attendeeRecord(a: AttendeeInput): SandboxBooking["attendees"][number] {
  return {
    name: a.name,
    // Phone-only attendees: Cal.com derives a placeholder address from the number.
    email: a.email ?? `${(a.phoneNumber ?? "").replace(/\D/g, "")}@sms.cal.com`,
    timeZone: a.timeZone,
    language: a.language,
    absent: false,
    ...(a.phoneNumber ? { phoneNumber: a.phoneNumber } : {}),
  };
}

async function lock(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${BOOKING_LOCK_ID})`);
}

/** Checks the time (past, bounds, hours, conflicts) and picks hosts; throws Cal.com's 400s. */
async function pickHosts(tx: DbOrTx, spec: BookingSpec): Promise<number[]> {
  const et = spec.eventType;
  const end = new Date(spec.start.getTime() + spec.lengthMinutes * 60_000);
  const bookings = await loadBusyBookings(tx, {
    hostIds: et.hostUserIds,
    from: spec.start,
    to: end,
    excludeUid: spec.excludeUid,
  });
  const verdict = checkBookable({
    eventType: et,
    start: spec.start,
    lengthMinutes: spec.lengthMinutes,
    now: spec.now,
    bookings,
  });
  if (!verdict.ok) {
    if (verdict.reason === "past") throw badRequest(MSG.past);
    if (verdict.reason === "out-of-bounds") throw badRequest(MSG.outOfBounds);
    throw badRequest(et.teamId !== null ? MSG.takenTeam : MSG.taken);
  }
  if (spec.preferHostId && et.schedulingType !== "collective") {
    const keep = checkBookable({
      eventType: { ...et, hostUserIds: [spec.preferHostId] },
      start: spec.start,
      lengthMinutes: spec.lengthMinutes,
      now: spec.now,
      bookings,
    });
    if (keep.ok) return keep.hostIds;
  }
  return verdict.hostIds;
}

async function insertChecked(tx: DbOrTx, spec: BookingSpec): Promise<SandboxBooking> {
  const hostIds = await pickHosts(tx, spec);
  const users = await getUsers(tx, hostIds);
  const hosts = hostIds
    .map((id) => users.get(id))
    .filter((u): u is SandboxUser => Boolean(u))
    .map(hostOutput);
  const organizer = hosts[0];
  if (!organizer) throw new Error(`event type ${spec.eventType.id} has no hosts`);
  const [row] = await tx
    .insert(sandboxBookings)
    .values({
      uid: newBookingUid(),
      eventTypeId: spec.eventType.id,
      teamId: spec.eventType.teamId,
      userId: organizer.id,
      hostIds,
      title: `${spec.eventType.title} between ${organizer.name} and ${spec.attendees[0]?.name ?? ""}`,
      start: spec.start,
      end: new Date(spec.start.getTime() + spec.lengthMinutes * 60_000),
      status: spec.status,
      attendees: spec.attendees,
      guests: spec.guests,
      hosts,
      location: spec.location,
      metadata: spec.metadata,
      bookingFieldsResponses: spec.responses,
      reschedulingReason: spec.reschedule?.reason ?? null,
      rescheduledByEmail: spec.reschedule?.byEmail ?? null,
      rescheduledFromUid: spec.reschedule?.fromUid ?? null,
      recurringBookingUid: spec.recurringBookingUid ?? null,
      createdAt: spec.now,
      updatedAt: spec.now,
    })
    .returning();
  if (!row) throw new Error("booking insert returned nothing");
  return row;
}

export async function createBookingChecked(db: Db, spec: BookingSpec): Promise<SandboxBooking> {
  return db.transaction(async (tx) => {
    await lock(tx);
    return insertChecked(tx, spec);
  });
}

/** Every occurrence of a recurring series is checked like a single booking; one refusal refuses the series (§8.8). */
export async function createRecurringChecked(db: Db, spec: BookingSpec, starts: Date[]): Promise<SandboxBooking[]> {
  const seriesUid = newBookingUid();
  return db.transaction(async (tx) => {
    await lock(tx);
    const created: SandboxBooking[] = [];
    for (const start of starts)
      created.push(await insertChecked(tx, { ...spec, start, recurringBookingUid: seriesUid }));
    return created;
  });
}

/** A seated event type: join the slot's booking while a seat is free, else book the slot with the first seat (§8.8). */
export async function createSeatChecked(
  db: Db,
  spec: BookingSpec,
  seats: number,
): Promise<{ booking: SandboxBooking; seatUid: string; isNew: boolean }> {
  return db.transaction(async (tx) => {
    await lock(tx);
    const open = await findOpenSeatBooking(tx, spec.eventType, spec.start);
    const attendee = spec.attendees[0]!;
    if (open) {
      const joined = await addSeat(tx, open, attendee, { seats, now: spec.now });
      if (!joined) throw new SandboxHttpError(409, MSG.seatsFull);
      return { ...joined, isNew: false };
    }
    const seatUid = newSeatUid();
    const booking = await insertChecked(tx, { ...spec, attendees: [{ ...attendee, seatUid }] });
    return { booking, seatUid, isNew: true };
  });
}

/** A reschedule creates a new booking and cancels the old one, pointing both ways. */
export async function rescheduleBookingChecked(
  db: Db,
  old: SandboxBooking,
  spec: BookingSpec,
): Promise<{ created: SandboxBooking; previous: SandboxBooking }> {
  return db.transaction(async (tx) => {
    await lock(tx);
    const created = await insertChecked(tx, { ...spec, excludeUid: old.uid, preferHostId: old.userId });
    const [previous] = await tx
      .update(sandboxBookings)
      .set({
        status: "cancelled",
        rescheduledToUid: created.uid,
        rescheduledByEmail: spec.reschedule?.byEmail ?? old.rescheduledByEmail,
        updatedAt: spec.now,
      })
      .where(eq(sandboxBookings.id, old.id))
      .returning();
    if (!previous) throw new Error("rescheduled booking vanished");
    return { created, previous };
  });
}

export async function updateBooking(
  db: DbOrTx,
  id: number,
  patch: Partial<typeof sandboxBookings.$inferInsert>,
): Promise<SandboxBooking> {
  const [row] = await db.update(sandboxBookings).set(patch).where(eq(sandboxBookings.id, id)).returning();
  if (!row) throw new Error(`booking ${id} vanished`);
  return row;
}

export async function getBookingByUid(db: DbOrTx, uid: string): Promise<SandboxBooking | null> {
  const [row] = await db.select().from(sandboxBookings).where(eq(sandboxBookings.uid, uid)).limit(1);
  return row ?? null;
}
