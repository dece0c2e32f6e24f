import { randomUUID } from "node:crypto";
import type { SandboxBooking } from "@/drizzle/schema/sandbox";

/** Booking shapes: BookingOutput_2024_08_13 (keys in Cal.com's declaration order) and the legacy Prisma-like one. */

const BASE58 = "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

/** Cal.com's booking uid: a UUID in Flickr base58, left-padded to 22 characters (the short-uuid package). */
export function newBookingUid(): string {
  let n = BigInt(`0x${randomUUID().replace(/-/g, "")}`);
  let out = "";
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  return out.padStart(22, BASE58[0]);
}

export type EventTypeRef = { id: number; slug: string };

export function durationMinutes(b: Pick<SandboxBooking, "start" | "end">): number {
  return Math.round((b.end.getTime() - b.start.getTime()) / 60_000);
}

export function bookingOutput(b: SandboxBooking, et: EventTypeRef): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: b.id,
    uid: b.uid,
    title: b.title,
    description: b.description,
    hosts: b.hosts.map((h) => ({
      id: h.id,
      name: h.name,
      email: h.email,
      displayEmail: h.email,
      username: h.username,
      timeZone: h.timeZone,
    })),
    status: b.status,
    cancellationReason: b.cancellationReason ?? "",
    cancelledByEmail: b.cancelledByEmail ?? "",
  };
  if (b.reschedulingReason !== null) out.reschedulingReason = b.reschedulingReason;
  out.rescheduledByEmail = b.rescheduledByEmail;
  if (b.rescheduledFromUid) out.rescheduledFromUid = b.rescheduledFromUid;
  if (b.rescheduledToUid) out.rescheduledToUid = b.rescheduledToUid;
  Object.assign(out, {
    start: b.start.toISOString(),
    end: b.end.toISOString(),
    duration: durationMinutes(b),
    eventTypeId: et.id,
    eventType: { id: et.id, slug: et.slug },
    // The deprecated meetingUrl always carries the location.
    meetingUrl: b.location ?? "integrations:daily",
    location: b.location ?? "integrations:daily",
    absentHost: false,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
    metadata: b.metadata,
    rating: null,
    icsUid: `${b.uid}@Cal.com`,
    attendees: b.attendees.map((a) => ({
      name: a.name,
      email: a.email,
      displayEmail: a.email,
      timeZone: a.timeZone,
      language: a.language,
      absent: a.absent ?? false,
      ...(a.phoneNumber ? { phoneNumber: a.phoneNumber } : {}),
      // Seated bookings (§3.4): each attendee carries its seat.
      ...(a.seatUid ? { seatUid: a.seatUid } : {}),
    })),
  });
  if (b.guests) out.guests = b.guests;
  if (b.recurringBookingUid) out.recurringBookingUid = b.recurringBookingUid;
  out.bookingFieldsResponses = b.bookingFieldsResponses;
  return out;
}

/** Create and reschedule answers carry this flag at the end of `data`; stored bookings do not. */
export function createdBookingOutput(b: SandboxBooking, et: EventTypeRef): Record<string, unknown> {
  return { ...bookingOutput(b, et), isPlatformManagedUserBooking: false };
}

/** The legacy 2024-04-15 controller returns the Prisma booking with its relations. */
export function legacyBookingOutput(
  b: SandboxBooking,
  et: EventTypeRef & { title: string; teamId: number | null },
): Record<string, unknown> {
  const organizer = b.hosts[0];
  return {
    id: b.id,
    uid: b.uid,
    title: b.title,
    description: b.description,
    customInputs: {},
    startTime: b.start.toISOString(),
    endTime: b.end.toISOString(),
    attendees: b.attendees.map((a) => ({
      name: a.name,
      email: a.email,
      timeZone: a.timeZone,
      locale: a.language,
      bookingId: b.id,
    })),
    user: organizer
      ? {
          id: organizer.id,
          email: organizer.email,
          name: organizer.name,
          username: organizer.username,
          timeZone: organizer.timeZone,
        }
      : null,
    userId: b.userId,
    eventTypeId: et.id,
    eventType: { id: et.id, slug: et.slug, title: et.title, teamId: et.teamId },
    status: b.status.toUpperCase(),
    location: b.location,
    metadata: b.metadata,
    responses: b.bookingFieldsResponses,
    rescheduled: b.rescheduledToUid ? true : null,
    fromReschedule: b.rescheduledFromUid,
    cancellationReason: b.cancellationReason,
    rejectionReason: b.rejectionReason,
    paid: false,
    payment: [],
    references: [],
    isRecorded: false,
    recurringEventId: null,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}
