import type { SandboxEventType, SandboxTeam, SandboxUser } from "@/drizzle/schema/sandbox";

/** Event type shapes: 2024-06-14 (user and team variants) and the legacy 2024-04-15 one. */

function baseOutput(et: SandboxEventType, location: unknown[]) {
  return {
    id: et.id,
    lengthInMinutes: et.lengthInMinutes,
    ...(et.lengthInMinutesOptions ? { lengthInMinutesOptions: et.lengthInMinutesOptions } : {}),
    title: et.title,
    slug: et.slug,
    description: et.description,
    locations: location,
    bookingFields: et.bookingFields.map((f) => ({ ...f })),
    disableGuests: false,
    slotInterval: et.slotInterval,
    minimumBookingNotice: et.minimumBookingNotice,
    beforeEventBuffer: et.beforeEventBuffer,
    afterEventBuffer: et.afterEventBuffer,
    // §8.8 recurring event types: POST /v2/bookings then creates the series (an array).
    recurrence: et.recurrence
      ? { interval: et.recurrence.interval, occurrences: et.recurrence.occurrences, frequency: et.recurrence.frequency }
      : null,
    metadata: {},
    price: et.price,
    currency: et.currency,
    lockTimeZoneToggleOnBookingPage: false,
    seatsPerTimeSlot: et.seatsPerTimeSlot,
    forwardParamsSuccessRedirect: true,
    successRedirectUrl: null,
    isInstantEvent: false,
    seatsShowAvailabilityCount: et.seatsPerTimeSlot ? true : null,
    // One schedule per sandbox event type, served at GET /v2/schedules/{id} (schedules.ts).
    scheduleId: et.id,
    ...(et.bookingWindowDays !== null
      ? { bookingWindow: { type: "calendarDays", value: et.bookingWindowDays, rolling: true } }
      : {}),
    bookerLayouts: { defaultLayout: "month", enabledLayouts: ["month", "weekly", "column"] },
    ...(et.requiresConfirmation
      ? { confirmationPolicy: { type: "always", blockUnconfirmedBookingsInBooker: false } }
      : {}),
    requiresBookerEmailVerification: false,
    hideCalendarNotes: false,
    color: { lightThemeHex: "#292929", darkThemeHex: "#fafafa" },
    offsetStart: 0,
    customName: "",
    useDestinationCalendarEmail: false,
    hideCalendarEventDetails: false,
    hidden: et.hidden,
    bookingRequiresAuthentication: false,
  };
}

function userRef(u: SandboxUser) {
  return {
    id: u.id,
    name: u.name,
    username: u.username,
    avatarUrl: null,
    weekStart: u.weekStart,
    brandColor: null,
    darkBrandColor: null,
    metadata: {},
  };
}

export function userEventTypeOutput(et: SandboxEventType, owner: SandboxUser) {
  return {
    ...baseOutput(et, [{ type: "integration", integration: "cal-video" }]),
    ownerId: owner.id,
    // §8.8 managed event types: each host's child points at the team's parent.
    ...(et.parentEventTypeId !== null ? { parentEventTypeId: et.parentEventTypeId } : {}),
    users: [userRef(owner)],
  };
}

export function teamEventTypeOutput(et: SandboxEventType, team: SandboxTeam, hosts: Map<number, SandboxUser>) {
  return {
    ...baseOutput(et, [{ type: "address", address: team.name, public: true }]),
    teamId: team.id,
    ownerId: null,
    parentEventTypeId: et.parentEventTypeId,
    hosts: et.hostUserIds
      .map((id) => hosts.get(id))
      .filter((u): u is SandboxUser => Boolean(u))
      .map((u) => ({
        userId: u.id,
        name: u.name,
        username: u.username,
        avatarUrl: null,
        mandatory: false,
        priority: "medium",
      })),
    assignAllTeamMembers: true,
    schedulingType: et.schedulingType,
    team: {
      id: team.id,
      slug: team.slug,
      bannerUrl: null,
      name: team.name,
      logoUrl: null,
      weekStart: team.weekStart,
      brandColor: null,
      darkBrandColor: null,
      theme: null,
    },
  };
}

const LEGACY_SCHEDULING: Record<string, string> = {
  roundRobin: "ROUND_ROBIN",
  collective: "COLLECTIVE",
  managed: "MANAGED",
};

/** The Prisma-like event type the legacy 2024-04-15 controller returns. */
export function legacyEventTypeOutput(et: SandboxEventType, users: SandboxUser[]) {
  return {
    id: et.id,
    title: et.title,
    slug: et.slug,
    description: et.description,
    length: et.lengthInMinutes,
    hidden: et.hidden,
    position: 0,
    teamId: et.teamId,
    userId: et.ownerId,
    price: et.price,
    currency: et.currency,
    schedulingType: et.schedulingType ? (LEGACY_SCHEDULING[et.schedulingType] ?? null) : null,
    requiresConfirmation: et.requiresConfirmation,
    minimumBookingNotice: et.minimumBookingNotice,
    beforeEventBuffer: et.beforeEventBuffer,
    afterEventBuffer: et.afterEventBuffer,
    slotInterval: et.slotInterval,
    periodType: et.bookingWindowDays === null ? "UNLIMITED" : "ROLLING",
    periodDays: et.bookingWindowDays,
    metadata: {},
    users: users.map((u) => ({ id: u.id, name: u.name, username: u.username, avatar: null, timeZone: u.timeZone })),
    hosts: et.teamId ? et.hostUserIds.map((userId) => ({ userId, isFixed: false })) : [],
  };
}
