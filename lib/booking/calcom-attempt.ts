import "server-only";
import { eq } from "drizzle-orm";
import { apiCache } from "@/drizzle/schema/calcom";
import type { Appointment } from "@/drizzle/schema/core";
import type { CalcomHttp } from "@/lib/calcom/client";
import { createBooking, getEventTypeReadable, getSlots, listBookings } from "@/lib/calcom/endpoints";
import { CalcomError } from "@/lib/calcom/errors";
import { eventTypeSchema, type CalcomBooking, type CalcomEventType } from "@/lib/calcom/schemas";
import type { Exchange } from "@/lib/calcom/transport";
import { AppError } from "@/lib/errors";
import { formatLocal } from "@/lib/time/format";

/** The Cal.com half of a booking: is the slot offered, which fields are required, send it, classify the answer. */

export type OutageReason = "circuit_open" | "calcom_failing";
export type AttemptResult =
  | { kind: "booked"; booking: CalcomBooking; exchange: Exchange | null; isAdopted: boolean }
  | { kind: "taken"; message: string; details?: unknown; error?: unknown }
  | { kind: "outage"; reasonCode: OutageReason; message: string }
  | { kind: "rejected"; message: string; details?: unknown; error?: unknown };

/** Cal.com unavailable (circuit open, 5xx, timeouts, rate limit): the request goes to the manual queue. */
export function outageOf(error: unknown): { reasonCode: OutageReason; message: string } | null {
  if (!(error instanceof CalcomError)) return null;
  if (error.calCode === "CAL-013") return { reasonCode: "circuit_open", message: `Circuit open: ${error.message}` };
  if (error.isBreakerFailure || error.calCode === "CAL-012" || error.calCode === "CAL-005") {
    return {
      reasonCode: "calcom_failing",
      message: `Cal.com failing (${error.calCode}${error.status ? ` HTTP ${error.status}` : ""}): ${error.message}`,
    };
  }
  return null;
}

const WINDOW_MS = 3 * 60 * 60_000;

/** " Nearest free times: …." in the company's zone, for a message about a start Cal.com does not offer. */
export function nearbyText(nearby: string[], timeZone: string, none = ""): string {
  return nearby.length
    ? ` Nearest free times: ${nearby.map((s) => formatLocal(new Date(s), timeZone)).join("; ")}.`
    : none;
}

/** Whether Cal.com offers exactly this start, and the nearest starts it does offer (for the caller's next try). */
export async function checkSlotOffered(
  http: CalcomHttp,
  q: { eventTypeId: number; start: Date; timeZone: string; bypassCache?: boolean; bookingUidToReschedule?: string },
): Promise<{ isOffered: boolean; nearby: string[] }> {
  const { data } = await getSlots(
    http,
    {
      eventTypeId: q.eventTypeId,
      start: new Date(q.start.getTime() - WINDOW_MS),
      end: new Date(q.start.getTime() + WINDOW_MS),
      timeZone: q.timeZone,
      bookingUidToReschedule: q.bookingUidToReschedule,
    },
    { bypassCache: q.bypassCache },
  );
  const starts = Object.values(data)
    .flat()
    .map((s) => new Date(s.start));
  const isOffered = starts.some((s) => s.getTime() === q.start.getTime());
  const nearby = starts
    .filter((s) => s.getTime() !== q.start.getTime())
    .sort((a, b) => Math.abs(a.getTime() - q.start.getTime()) - Math.abs(b.getTime() - q.start.getTime()))
    .slice(0, 3)
    .sort((a, b) => a.getTime() - b.getTime())
    .map((s) => s.toISOString());
  return { isOffered, nearby };
}

/** How many bookings one slot can take: the hosts of a round-robin event type, the seats of a seated one, else 1. */
export function slotCapacity(et: CalcomEventType): number {
  const seats = (et as { seatsPerTimeSlot?: unknown }).seatsPerTimeSlot;
  if (typeof seats === "number" && seats > 0) return seats;
  const hosts = (et as { hosts?: unknown }).hosts;
  if (/^round_?robin$/i.test(et.schedulingType ?? "") && Array.isArray(hosts) && hosts.length > 0) return hosts.length;
  return 1;
}

export async function slotCapacityOrOne(http: CalcomHttp, eventTypeId: number): Promise<number> {
  try {
    return slotCapacity((await getEventTypeReadable(http, eventTypeId)).data);
  } catch {
    return 1;
  }
}

/**
 * Capacity while Cal.com is down or fallback mode is on, without calling it: the last cached copy of the event type
 * (even an expired one); with none, never promise more than one booking per slot.
 */
export async function knownSlotCapacity(http: CalcomHttp, eventTypeId: number): Promise<number> {
  const key = `${http.company.id}:${http.buildUrl({ pathTemplate: "/v2/event-types/{id}", params: { id: eventTypeId } })}`;
  const [row] = await http.db.select({ value: apiCache.value }).from(apiCache).where(eq(apiCache.key, key));
  const parsed = eventTypeSchema.safeParse((row?.value as { data?: unknown } | undefined)?.data);
  return parsed.success ? slotCapacity(parsed.data) : 1;
}

const SYSTEM_FIELDS = new Set(["name", "email", "location", "title", "notes", "guests", "rescheduleReason"]);

/**
 * bookingFieldsResponses for the event type: the attendee's phone goes into a phone field, notes into notes; a
 * required field nobody answered is a clear 400 instead of Cal.com's generic refusal.
 */
export async function buildBookingFields(
  http: CalcomHttp,
  eventTypeId: number,
  a: { email: string | null; phone: string | null; notes?: string | null; responses?: Record<string, unknown> },
): Promise<{ fields: Record<string, unknown>; capacity: number }> {
  const { data: et } = await getEventTypeReadable(http, eventTypeId);
  const out: Record<string, unknown> = { ...a.responses };
  if (a.notes) out.notes = a.notes;
  const missing: string[] = [];
  for (const f of et.bookingFields ?? []) {
    const slug = f.slug ?? f.name;
    if (!slug) continue;
    if (f.type === "phone" && a.phone && out[slug] === undefined) out[slug] = a.phone;
    if (!f.required || f.hidden) continue;
    if (slug === "name") continue;
    if (slug === "email") {
      if (!a.email) missing.push("attendee.email");
      continue;
    }
    if (out[slug] === undefined || out[slug] === "")
      missing.push(f.type === "phone" ? "attendee.phone" : `bookingFieldsResponses.${slug}`);
  }
  if (missing.length) {
    const label = (m: string) =>
      m === "attendee.phone"
        ? "the attendee's phone number (attendee.phone)"
        : m === "attendee.email"
          ? "the attendee's email address (attendee.email)"
          : m;
    throw new AppError("BAD_REQUEST", `This service requires: ${missing.map(label).join(", ")}.`, { missing });
  }
  for (const key of Object.keys(out))
    if (SYSTEM_FIELDS.has(key) && key !== "notes" && key !== "location") delete out[key];
  return { fields: out, capacity: slotCapacity(et) };
}

const FIND_PAGE_SIZE = 100;
const FIND_MAX_PAGES = 5;

/**
 * After a lost answer (timeout), Cal.com may hold the booking already: find it by our idempotency key. Sorted by
 * start (Cal.com's default order is not part of the contract) and paged, so a busy event type cannot hide it behind
 * the first page and cause a second booking.
 */
export async function findBookingByKey(http: CalcomHttp, appt: Appointment): Promise<CalcomBooking | null> {
  if (!appt.idempotencyKey || !appt.calcomEventTypeId) return null;
  for (let page = 0; page < FIND_MAX_PAGES; page++) {
    const { data, pagination } = await listBookings(http, {
      eventTypeIds: [appt.calcomEventTypeId],
      afterStart: new Date(appt.startsAt.getTime() - 60_000),
      beforeEnd: new Date(appt.endsAt.getTime() + 24 * 60 * 60_000),
      status: ["upcoming", "unconfirmed"],
      sortStart: "asc",
      take: FIND_PAGE_SIZE,
      skip: page * FIND_PAGE_SIZE,
    });
    const found = data.find((b) => b.metadata?.idempotencyKey === appt.idempotencyKey && b.status !== "cancelled");
    if (found) return found;
    const hasNext = (pagination as { hasNextPage?: unknown } | undefined)?.hasNextPage;
    if (data.length < FIND_PAGE_SIZE || hasNext === false) return null;
  }
  return null;
}

/** The attendee Cal.com is sent for a stored appointment; `unnamed` stands in when the caller gave no name. */
export function appointmentAttendee(appt: Appointment, unnamed: string) {
  return {
    name: appt.attendeeName ?? unnamed,
    email: appt.attendeeEmail ?? undefined,
    phoneNumber: appt.attendeePhone ?? undefined,
    timeZone: appt.timeZone,
  };
}

/** POST /v2/bookings for a stored appointment; every failure is classified, nothing is thrown for Cal.com answers. */
export async function sendBooking(
  http: CalcomHttp,
  appt: Appointment,
  fields: Record<string, unknown>,
): Promise<AttemptResult> {
  if (!appt.calcomEventTypeId) return { kind: "rejected", message: "The appointment has no Cal.com event type" };
  try {
    const result = await createBooking(http, {
      eventTypeId: appt.calcomEventTypeId,
      start: appt.startsAt,
      attendee: appointmentAttendee(appt, "Unknown caller"),
      bookingFieldsResponses: Object.keys(fields).length ? fields : undefined,
      metadata: { idempotencyKey: appt.idempotencyKey ?? `appointment-${appt.id}`, appointmentId: String(appt.id) },
    });
    return { kind: "booked", booking: result.data, exchange: result.exchange, isAdopted: false };
  } catch (error) {
    return classifyAttemptError(error);
  }
}

export function classifyAttemptError(error: unknown): Exclude<AttemptResult, { kind: "booked" }> {
  const outage = outageOf(error);
  if (outage) return { kind: "outage", ...outage };
  // Cal.com answered 2xx but the body did not parse: the booking may well exist. Never call that a refusal (which
  // frees the slot and drops the request); queue it, and recovery finds the booking by its idempotency key.
  if (error instanceof CalcomError && error.status !== null && error.status >= 200 && error.status < 300) {
    return {
      kind: "outage",
      reasonCode: "calcom_failing",
      message: `Cal.com answered HTTP ${error.status} with an unreadable body (${error.message}); the booking may exist`,
    };
  }
  if (error instanceof CalcomError) {
    if (error.calCode === "CAL-003" || error.calCode === "CAL-009")
      return {
        kind: "taken",
        message: `Cal.com refused the time (${error.calCode}): ${error.message}`,
        details: error.toJSON(),
        error,
      };
    return {
      kind: "rejected",
      message: `Cal.com refused the booking (${error.calCode}${error.status ? ` HTTP ${error.status}` : ""}): ${error.message}`,
      details: error.toJSON(),
      error,
    };
  }
  if (error instanceof AppError) return { kind: "rejected", message: error.message, details: error.details };
  throw error;
}
