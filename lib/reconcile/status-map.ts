import * as clock from "@/lib/time/clock";
import type { AppointmentStatus } from "@/drizzle/schema/core";

/**
 * The three status vocabularies of Cal.com (contract §3.4, §6.11), mapped explicitly to ours:
 * - API v2 booking objects: accepted | pending | cancelled | rejected (lowercase)
 * - webhook payloads (Prisma): ACCEPTED | PENDING | CANCELLED | REJECTED | AWAITING_HOST (uppercase)
 * - the GET /v2/bookings `status` filter: upcoming | recurring | past | cancelled | unconfirmed (time buckets, not states)
 */
const API_STATUSES = ["accepted", "pending", "cancelled", "rejected"] as const;
export type ApiBookingStatus = (typeof API_STATUSES)[number];

const WEBHOOK_STATUS_TO_API: Record<string, ApiBookingStatus> = {
  ACCEPTED: "accepted",
  PENDING: "pending",
  // Waiting for a host to accept: still unconfirmed from the attendee's point of view.
  AWAITING_HOST: "pending",
  CANCELLED: "cancelled",
  REJECTED: "rejected",
};

/** Every list-filter bucket: without a status filter Cal.com returns only "upcoming" bookings. */
export const ALL_LIST_FILTERS = ["upcoming", "recurring", "past", "cancelled", "unconfirmed"] as const;
export type ListFilter = (typeof ALL_LIST_FILTERS)[number];

/** What Cal.com should say for a local status; null = no booking is expected (the manual queue). */
export const LOCAL_TO_API: Record<AppointmentStatus, ApiBookingStatus | null> = {
  confirmed: "accepted",
  completed: "accepted", // Cal.com keeps a held appointment "accepted"; completion is ours
  no_show: "accepted", // no-show is an attendee flag at Cal.com, not a status
  pending: "pending",
  cancelled: "cancelled",
  rejected: "rejected",
  requires_manual_booking: null,
};

export function parseApiStatus(value: string): ApiBookingStatus | null {
  const lower = value.toLowerCase();
  if ((API_STATUSES as readonly string[]).includes(lower)) return lower as ApiBookingStatus;
  return WEBHOOK_STATUS_TO_API[value.toUpperCase()] ?? null;
}

export function isActiveApiStatus(status: string): boolean {
  const s = parseApiStatus(status);
  return s === "accepted" || s === "pending";
}

export const ACTIVE_LOCAL_STATUSES = [
  "pending",
  "confirmed",
  "completed",
  "no_show",
] as const satisfies readonly AppointmentStatus[];

export function isActiveLocalStatus(status: AppointmentStatus): boolean {
  return (ACTIVE_LOCAL_STATUSES as readonly string[]).includes(status);
}

/** Local and Cal.com agree when Cal.com says what our status expects. */
export function isStatusConsistent(local: AppointmentStatus, remote: string): boolean {
  return LOCAL_TO_API[local] === parseApiStatus(remote);
}

/**
 * Our status after adopting Cal.com's: an accepted booking keeps a local "completed" or "no_show" (facts Cal.com does
 * not track), otherwise it becomes "confirmed".
 */
export function adoptedLocalStatus(remote: string, current: AppointmentStatus | null): AppointmentStatus {
  const s = parseApiStatus(remote);
  if (s === "accepted") return current === "completed" || current === "no_show" ? current : "confirmed";
  if (s === "pending") return "pending";
  if (s === "rejected") return "rejected";
  return "cancelled";
}

/** Which list-filter bucket a booking is in at `now` (for explanations; the run asks for every bucket). */
export function listFilterOf(status: string, end: Date, now = clock.now()): ListFilter {
  const s = parseApiStatus(status);
  if (s === "cancelled" || s === "rejected") return "cancelled";
  if (end < now) return "past";
  return s === "pending" ? "unconfirmed" : "upcoming";
}
