import type { SandboxBooking, SandboxEventType, SandboxTeam, SandboxUser } from "@/drizzle/schema/sandbox";
import type { DbOrTx } from "@/lib/db/types";
import { zoneOffsetMinutes } from "@/lib/time/zoned";
import { durationMinutes } from "./booking-output";
import { getEventType, getTeam, getTeamMembers, getUsers } from "./store";

/** Webhook bodies in the 2021-10-20 version (the only payload version), built like Cal.com's BookingPayloadBuilder. */

const SCHEDULING_ENUM: Record<string, string> = {
  roundRobin: "ROUND_ROBIN",
  collective: "COLLECTIVE",
  managed: "MANAGED",
};

function person(
  u: { id?: number; name: string | null; email: string; username?: string; timeZone: string; locale?: string },
  at: Date,
) {
  return {
    ...(u.id !== undefined ? { id: u.id } : {}),
    name: u.name ?? "",
    email: u.email,
    ...(u.username !== undefined ? { username: u.username } : {}),
    timeZone: u.timeZone,
    language: { locale: u.locale ?? "en" },
    utcOffset: zoneOffsetMinutes(at, u.timeZone),
  };
}

function responsesOutput(b: SandboxBooking): Record<string, { label: string; value: unknown; isHidden?: boolean }> {
  const out: Record<string, { label: string; value: unknown }> = {};
  const labels: Record<string, string> = {
    name: "your_name",
    email: "email_address",
    attendeePhoneNumber: "phone_number",
    guests: "additional_guests",
  };
  for (const [slug, value] of Object.entries(b.bookingFieldsResponses)) {
    if (slug === "displayEmail" || slug === "displayGuests") continue;
    out[slug] = { label: labels[slug] ?? slug, value };
  }
  return out;
}

export type BookingPayloadContext = {
  eventType: SandboxEventType;
  team: SandboxTeam | null;
  members: SandboxUser[];
  organizer: SandboxUser | null;
};

export async function loadPayloadContext(db: DbOrTx, b: SandboxBooking): Promise<BookingPayloadContext | null> {
  const eventType = await getEventType(db, b.eventTypeId);
  if (!eventType) return null;
  const team = eventType.teamId ? await getTeam(db, eventType.teamId) : null;
  const members = team ? await getTeamMembers(db, team.id) : [];
  const organizer = (await getUsers(db, [b.userId])).get(b.userId) ?? null;
  return { eventType, team, members, organizer };
}

export function bookingPayload(
  b: SandboxBooking,
  c: BookingPayloadContext,
  extras: Record<string, unknown> = {},
): Record<string, unknown> {
  const et = c.eventType;
  const host = b.hosts[0];
  const organizer = c.organizer ?? (host ? { ...host, locale: "en" } : null);
  const organizerOut = organizer ? { ...person(organizer, b.start), timeFormat: "HH:mm" } : null;
  return {
    type: et.slug,
    title: b.title,
    description: b.description || undefined,
    additionalNotes: "",
    customInputs: {},
    startTime: b.start.toISOString(),
    endTime: b.end.toISOString(),
    organizer: organizerOut,
    responses: responsesOutput(b),
    userFieldsResponses: {},
    attendees: b.attendees.map((a) => ({
      ...person({ name: a.name, email: a.email, timeZone: a.timeZone, locale: a.language }, b.start),
      firstName: "",
      lastName: "",
      ...(a.phoneNumber ? { phoneNumber: a.phoneNumber } : {}),
    })),
    location: b.location,
    destinationCalendar: null,
    hideCalendarNotes: false,
    hideOrganizerEmail: false,
    requiresConfirmation: et.requiresConfirmation,
    eventTypeId: et.id,
    seatsShowAttendees: true,
    seatsPerTimeSlot: null,
    schedulingType: et.schedulingType ? (SCHEDULING_ENUM[et.schedulingType] ?? null) : null,
    iCalUID: `${b.uid}@Cal.com`,
    iCalSequence: 0,
    uid: b.uid,
    bookingId: b.id,
    eventTitle: et.title,
    eventDescription: et.description,
    price: et.price,
    currency: et.currency,
    length: durationMinutes(b),
    status: b.status.toUpperCase(),
    metadata: b.metadata,
    ...(c.team
      ? {
          team: {
            id: c.team.id,
            name: c.team.name,
            members: c.members.map((m) => ({
              id: m.id,
              name: m.name,
              email: m.email,
              timeZone: m.timeZone,
              language: { locale: m.locale },
            })),
          },
        }
      : {}),
    ...extras,
  };
}

/**
 * MEETING_STARTED / MEETING_ENDED: flat, the raw booking row next to triggerEvent, no send-time createdAt. Built
 * when the booking is made (§8.5), so noShow is the booking-time false; the sender adds triggerEvent.
 */
export function meetingPayload(b: SandboxBooking, c: BookingPayloadContext): Record<string, unknown> {
  const organizer = c.organizer;
  return {
    id: b.id,
    uid: b.uid,
    userId: b.userId,
    eventTypeId: b.eventTypeId,
    title: b.title,
    description: b.description,
    startTime: b.start.toISOString(),
    endTime: b.end.toISOString(),
    location: b.location,
    status: b.status.toUpperCase(),
    metadata: b.metadata,
    responses: b.bookingFieldsResponses,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
    attendees: b.attendees.map((a) => ({
      name: a.name,
      email: a.email,
      timeZone: a.timeZone,
      locale: a.language,
      noShow: false,
    })),
    user: organizer
      ? {
          id: organizer.id,
          name: organizer.name,
          email: organizer.email,
          username: organizer.username,
          timeZone: organizer.timeZone,
        }
      : null,
    eventType: { id: c.eventType.id, slug: c.eventType.slug, title: c.eventType.title, teamId: c.eventType.teamId },
  };
}

/** The UI "Ping test": a fake payload in the normal envelope. */
export function pingPayload(now: Date): Record<string, unknown> {
  const london = {
    timeZone: "Europe/London",
    language: { locale: "en" },
    utcOffset: zoneOffsetMinutes(now, "Europe/London"),
  };
  return {
    type: "Test",
    title: "Test trigger event",
    startTime: now.toISOString(),
    endTime: now.toISOString(),
    attendees: [{ email: "jdoe@example.com", name: "John Doe", ...london }],
    organizer: { name: "Cal", email: "no-reply@cal.com", ...london },
  };
}
