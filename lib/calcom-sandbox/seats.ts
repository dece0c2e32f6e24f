import { randomUUID } from "node:crypto";
import { and, eq, gte, lt } from "drizzle-orm";
import { sandboxBookings, type SandboxBooking, type SandboxEventType } from "@/drizzle/schema/sandbox";
import type { DbOrTx } from "@/lib/db/types";

/**
 * Seated event types (contract §3.3, §3.4, §8.8): `seatsPerTimeSlot` attendees share ONE booking per slot, each with
 * its own `seatUid`. A slot stays offered while seats remain (slots add seatsBooked/seatsRemaining/seatsTotal); a
 * create for a slot with a seated booking adds a seat to it and answers that booking plus a top-level `seatUid`.
 */

export type SeatCount = { uid: string; booked: number; total: number };

/** Accepted seated bookings of this event type starting in [from, to], with how many seats they hold. */
export async function seatedBookings(
  db: DbOrTx,
  et: SandboxEventType,
  from: Date,
  to: Date,
): Promise<Map<number, SeatCount>> {
  const out = new Map<number, SeatCount>();
  if (!et.seatsPerTimeSlot) return out;
  const b = sandboxBookings;
  const rows = await db
    .select({ uid: b.uid, start: b.start, attendees: b.attendees })
    .from(b)
    .where(
      and(
        eq(b.eventTypeId, et.id),
        eq(b.status, "accepted"),
        gte(b.start, from),
        lt(b.start, new Date(to.getTime() + 1)),
      ),
    );
  for (const r of rows)
    out.set(r.start.getTime(), { uid: r.uid, booked: r.attendees.length, total: et.seatsPerTimeSlot });
  return out;
}

/** Uids of seated bookings that still have a free seat: they do not make their hosts busy for this event type. */
export function uidsWithFreeSeats(seats: Map<number, SeatCount>): Set<string> {
  return new Set([...seats.values()].filter((s) => s.booked < s.total).map((s) => s.uid));
}

export async function findOpenSeatBooking(
  db: DbOrTx,
  et: SandboxEventType,
  start: Date,
): Promise<SandboxBooking | null> {
  if (!et.seatsPerTimeSlot) return null;
  const b = sandboxBookings;
  const [row] = await db
    .select()
    .from(b)
    .where(and(eq(b.eventTypeId, et.id), eq(b.status, "accepted"), eq(b.start, start)))
    .for("update")
    .limit(1);
  return row ?? null;
}

export function newSeatUid(): string {
  return randomUUID();
}

/** Adds one attendee (with a fresh seatUid) to a seated booking; null when it is full. */
export async function addSeat(
  db: DbOrTx,
  booking: SandboxBooking,
  attendee: SandboxBooking["attendees"][number],
  opts: { seats: number; now: Date },
): Promise<{ booking: SandboxBooking; seatUid: string } | null> {
  if (booking.attendees.length >= opts.seats) return null;
  const seatUid = newSeatUid();
  const [row] = await db
    .update(sandboxBookings)
    .set({ attendees: [...booking.attendees, { ...attendee, seatUid }], updatedAt: opts.now })
    .where(eq(sandboxBookings.id, booking.id))
    .returning();
  return row ? { booking: row, seatUid } : null;
}
