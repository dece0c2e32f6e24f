import "server-only";
import type { CalcomHttp } from "@/lib/calcom/client";
import {
  CALCOM_EMAIL_MESSAGE,
  CALCOM_PHONE_MESSAGE,
  isCalcomValidEmail,
  isCalcomValidPhone,
} from "@/lib/calcom/attendee-rules";
import { CalcomError } from "@/lib/calcom/errors";
import { AppError } from "@/lib/errors";
import { checkSlotOffered } from "./calcom-attempt";

/**
 * What a 400 from POST /v2/bookings means (contract §2, §8.1). Cal.com answers a taken slot, a time out of bounds and
 * invalid input alike: a 400 whose message is one string, no details.errors[], wording that changes between versions.
 * So the answer is not read from it: Cal.com is asked (GET /v2/slots, uncached) whether it still offers that exact
 * start. Not offered = taken (CAL-003, 409 to the caller). Offered = Cal.com refused the request itself: 422 with
 * Cal.com's message and the field at fault, for the phone agent to ask the caller again.
 */

export type BookingRefusal =
  | { kind: "taken"; message: string; nearby: string[] }
  | { kind: "refused"; message: string; field: string | null; calcomMessage: string };

/** Our input's name for a property path Cal.com reports (attendee.phoneNumber is our attendee.phone). */
const FIELD_NAMES: Record<string, string> = {
  "attendee.phoneNumber": "attendee.phone",
  "attendee.email": "attendee.email",
  "attendee.name": "attendee.name",
};
const ASK: Record<string, string> = {
  "attendee.phone": "their phone number",
  "attendee.email": "their email address",
  "attendee.name": "their name",
};

/**
 * The property path in a pipe message ("attendee property is wrong, phoneNumber property is wrong,…"): the structure
 * formatErrors gives every message (create-booking-input.pipe.ts in calcom/cal.com), not its wording. Null otherwise.
 */
export function fieldOfPipeMessage(message: string): string | null {
  const path = [...message.matchAll(/(?:^|[ ,])([A-Za-z][\w.]*) property is wrong,/g)].map((m) => m[1]!);
  if (path.length === 0) return null;
  const joined = path.join(".");
  return FIELD_NAMES[joined] ?? joined;
}

function refusal(field: string | null, calcomMessage: string, prefix: string): AppError {
  const ask = field ? ASK[field] : undefined;
  const message = `${prefix}${field ? ` (${field})` : ""}: ${calcomMessage.trim()}${ask ? ` Ask the caller for ${ask} again.` : ""}`;
  return new AppError("UNPROCESSABLE", message, {
    reason: "calcom_refused_input",
    field,
    calcomMessage: calcomMessage.trim(),
    askAgain: ask ?? null,
  });
}

/** The attendee checked with Cal.com's own rules before calling it; a refusal is a 422 naming the field. */
export function assertAttendeeAcceptable(a: { email?: string | null; phone?: string | null }): void {
  if (a.phone && !isCalcomValidPhone(a.phone))
    throw refusal("attendee.phone", `${CALCOM_PHONE_MESSAGE} (${a.phone})`, "Cal.com would refuse this phone number");
  if (a.email && !isCalcomValidEmail(a.email))
    throw refusal("attendee.email", `${CALCOM_EMAIL_MESSAGE} (${a.email})`, "Cal.com would refuse this email address");
}

/** True for the ambiguous answer: a 400 on a booking create or reschedule. */
export function isAmbiguousBookingRefusal(error: unknown): error is CalcomError {
  return error instanceof CalcomError && error.status === 400 && error.family === "bookings" && error.method === "POST";
}

export async function classifyBookingRefusal(
  http: CalcomHttp,
  q: { eventTypeId: number; start: Date; timeZone: string; bookingUidToReschedule?: string },
  error: CalcomError,
): Promise<BookingRefusal> {
  let check: { isOffered: boolean; nearby: string[] } | null = null;
  try {
    check = await checkSlotOffered(http, { ...q, bypassCache: true });
  } catch {
    // The check itself failed: Cal.com's refusal stands as it is, without claiming the time is taken.
  }
  if (check && !check.isOffered)
    return { kind: "taken", message: `Cal.com refused the time (CAL-003): ${error.message}`, nearby: check.nearby };
  const field = fieldOfPipeMessage(error.message);
  return {
    kind: "refused",
    message: refusal(field, error.message, "Cal.com refused the booking").message,
    field,
    calcomMessage: error.message,
  };
}

/** The 422 for a "refused" classification. */
export function refusalError(
  r: Extract<BookingRefusal, { kind: "refused" }>,
  extra: Record<string, unknown> = {},
): AppError {
  const e = refusal(r.field, r.calcomMessage, "Cal.com refused the booking");
  return new AppError("UNPROCESSABLE", e.message, { ...e.details, ...extra });
}
