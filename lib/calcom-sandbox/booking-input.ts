import {
  CALCOM_EMAIL_MESSAGE,
  CALCOM_PHONE_MESSAGE,
  isCalcomValidEmail,
  isCalcomValidPhone,
} from "@/lib/calcom/attendee-rules";
import { LANGUAGES, MSG } from "./constants";
import { fieldError, notAllowed, type FieldError } from "./http";
import { isPlainObject, isTimeZone, isValidMetadata, parseIsoDate } from "./params";

/**
 * Validation of booking bodies the way Cal.com's version-specific pipes do it (class-validator with
 * forbidNonWhitelisted): unknown keys first, then each property in declaration order. Optional values sent as
 * null are skipped, as @IsOptional does.
 */

const CREATE_KEYS = new Set([
  "start",
  "lengthInMinutes",
  "eventTypeId",
  "eventTypeSlug",
  "username",
  "teamSlug",
  "organizationSlug",
  "attendee",
  "guests",
  "meetingUrl",
  "location",
  "metadata",
  "bookingFieldsResponses",
  "routing",
  "emailVerificationCode",
  "allowConflicts",
  "allowBookingOutOfBounds",
  "skipBookingLimits",
  "instant",
  "recurrenceCount",
  "rrHostSubsetIds",
]);
const ATTENDEE_KEYS = new Set(["name", "email", "timeZone", "phoneNumber", "language"]);
const RESCHEDULE_KEYS = new Set([
  "start",
  "reschedulingReason",
  "rescheduledBy",
  "emailVerificationCode",
  "rescheduleWithSameHost",
  "allowConflicts",
  "allowBookingOutOfBounds",
  "skipBookingLimits",
  "seatUid",
  "rrHostSubsetIds",
]);
const CANCEL_KEYS = new Set(["cancellationReason", "cancelSubsequentBookings", "seatUid"]);

export type AttendeeInput = {
  name: string;
  email: string | null;
  timeZone: string;
  phoneNumber: string | null;
  language: string;
};

export type CreateBookingInput = {
  start: Date;
  lengthInMinutes: number | null;
  eventTypeId: number | null;
  eventTypeSlug: string | null;
  username: string | null;
  teamSlug: string | null;
  attendee: AttendeeInput;
  guests: string[] | null;
  location: unknown;
  metadata: Record<string, unknown>;
  bookingFieldsResponses: Record<string, unknown>;
  /** Recurring event types only (§8.8): how many occurrences; null = the event type's own count. */
  recurrenceCount: number | null;
};

const present = (v: unknown) => v !== undefined && v !== null;

function attendeeErrors(value: unknown): FieldError[] {
  if (!present(value)) return [fieldError("attendee", { isDefined: "attendee should not be null or undefined" })];
  if (!isPlainObject(value))
    return [fieldError("attendee", { nestedValidation: "nested property attendee must be either object or array" })];
  const children = Object.keys(value)
    .filter((k) => !ATTENDEE_KEYS.has(k))
    .map(notAllowed);
  const { name, email, timeZone, phoneNumber, language } = value;
  // §8.1: email is class-validator's isEmail ("Invalid email format"), the phone libphonenumber-js's isValidPhoneNumber.
  if (present(email) && (typeof email !== "string" || (email !== "" && !isCalcomValidEmail(email)))) {
    children.push(fieldError("email", { customValidation: CALCOM_EMAIL_MESSAGE }));
  }
  if (!email && !phoneNumber) children.push(fieldError("attendee email or phone", { contact: MSG.contact }));
  if (typeof name !== "string") children.push(fieldError("name", { isString: "name must be a string" }));
  if (!isTimeZone(timeZone))
    children.push(fieldError("timeZone", { isTimeZone: "timeZone must be a valid IANA time-zone" }));
  if (
    present(phoneNumber) &&
    phoneNumber !== "" &&
    !(typeof phoneNumber === "string" && isCalcomValidPhone(phoneNumber))
  ) {
    children.push(fieldError("phoneNumber", { customValidation: CALCOM_PHONE_MESSAGE }));
  }
  if (present(language) && !(LANGUAGES as readonly unknown[]).includes(language)) {
    children.push(
      fieldError("language", { isEnum: `language must be one of the following values: ${LANGUAGES.join(", ")}` }),
    );
  }
  return children.length ? [fieldError("attendee", {}, children)] : [];
}

function isInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v);
}

export function validateCreateBooking(body: Record<string, unknown>): {
  errors: FieldError[];
  input: CreateBookingInput | null;
} {
  const errors = Object.keys(body)
    .filter((k) => !CREATE_KEYS.has(k))
    .map(notAllowed);
  const start = parseIsoDate(body.start);
  if (!start) errors.push(fieldError("start", { isDateString: "start must be a valid ISO 8601 date string" }));
  errors.push(...attendeeErrors(body.attendee));
  if (present(body.bookingFieldsResponses) && !isPlainObject(body.bookingFieldsResponses)) {
    errors.push(fieldError("bookingFieldsResponses", { isObject: "bookingFieldsResponses must be an object" }));
  }
  if (present(body.eventTypeId) && !isInt(body.eventTypeId))
    errors.push(fieldError("eventTypeId", { isInt: "eventTypeId must be an integer number" }));
  for (const key of ["eventTypeSlug", "username", "teamSlug", "organizationSlug"]) {
    if (present(body[key]) && typeof body[key] !== "string")
      errors.push(fieldError(key, { isString: `${key} must be a string` }));
  }
  const guests = body.guests;
  if (present(guests) && !(Array.isArray(guests) && guests.every((g) => typeof g === "string"))) {
    errors.push(
      fieldError("guests", { isString: "each value in guests must be a string", isArray: "guests must be an array" }),
    );
  }
  if (present(body.location) && typeof body.location !== "string" && !isPlainObject(body.location)) {
    errors.push(fieldError("location", { isObject: "location must be an object" }));
  }
  if (present(body.metadata) && !isValidMetadata(body.metadata)) {
    const constraints: Record<string, string> = { validateMetadata: MSG.metadata };
    if (!isPlainObject(body.metadata)) constraints.isObject = "metadata must be an object";
    errors.push(fieldError("metadata", constraints));
  }
  const length = body.lengthInMinutes;
  if (present(length) && !(isInt(length) && length >= 1)) {
    errors.push(
      fieldError("lengthInMinutes", {
        min: "lengthInMinutes must not be less than 1",
        isInt: "lengthInMinutes must be an integer number",
      }),
    );
  }
  const count = body.recurrenceCount;
  if (present(count) && !(isInt(count) && count >= 1)) {
    errors.push(
      fieldError("recurrenceCount", {
        min: "recurrenceCount must not be less than 1",
        isInt: "recurrenceCount must be an integer number",
      }),
    );
  }
  const hasLookup =
    Boolean(body.eventTypeId) || (Boolean(body.eventTypeSlug) && (Boolean(body.username) || Boolean(body.teamSlug)));
  if (!hasLookup)
    errors.push(fieldError("eventTypeId or eventTypeSlug + username", { eventTypeLookup: MSG.eventLookup }));
  if (errors.length || !start) return { errors, input: null };
  const a = body.attendee as Record<string, unknown>;
  return {
    errors,
    input: {
      start,
      lengthInMinutes: isInt(length) ? length : null,
      eventTypeId: isInt(body.eventTypeId) ? body.eventTypeId : null,
      eventTypeSlug: (body.eventTypeSlug as string | undefined) ?? null,
      username: (body.username as string | undefined) ?? null,
      teamSlug: (body.teamSlug as string | undefined) ?? null,
      attendee: {
        name: a.name as string,
        email: typeof a.email === "string" && a.email ? a.email : null,
        timeZone: a.timeZone as string,
        phoneNumber: typeof a.phoneNumber === "string" && a.phoneNumber ? a.phoneNumber : null,
        language: typeof a.language === "string" ? a.language : "en",
      },
      guests: Array.isArray(guests) ? (guests as string[]) : null,
      location: body.location ?? body.meetingUrl ?? null,
      metadata: (body.metadata as Record<string, unknown> | undefined) ?? {},
      bookingFieldsResponses: (body.bookingFieldsResponses as Record<string, unknown> | undefined) ?? {},
      recurrenceCount: isInt(count) ? count : null,
    },
  };
}

export type RescheduleInput = { start: Date; reschedulingReason: string | null; rescheduledBy: string | null };

export function validateReschedule(body: Record<string, unknown>): {
  errors: FieldError[];
  input: RescheduleInput | null;
} {
  const errors = Object.keys(body)
    .filter((k) => !RESCHEDULE_KEYS.has(k))
    .map(notAllowed);
  const start = parseIsoDate(body.start);
  if (!start) errors.push(fieldError("start", { isDateString: "start must be a valid ISO 8601 date string" }));
  for (const key of ["rescheduledBy", "reschedulingReason", "emailVerificationCode", "seatUid"]) {
    if (present(body[key]) && typeof body[key] !== "string")
      errors.push(fieldError(key, { isString: `${key} must be a string` }));
  }
  for (const key of ["rescheduleWithSameHost", "allowConflicts", "allowBookingOutOfBounds", "skipBookingLimits"]) {
    if (present(body[key]) && typeof body[key] !== "boolean")
      errors.push(fieldError(key, { isBoolean: `${key} must be a boolean value` }));
  }
  if (errors.length || !start) return { errors, input: null };
  return {
    errors,
    input: {
      start,
      reschedulingReason: typeof body.reschedulingReason === "string" ? body.reschedulingReason : null,
      rescheduledBy: typeof body.rescheduledBy === "string" ? body.rescheduledBy : null,
    },
  };
}

export function validateCancel(body: Record<string, unknown>): { errors: FieldError[]; reason: string | null } {
  const errors = Object.keys(body)
    .filter((k) => !CANCEL_KEYS.has(k))
    .map(notAllowed);
  for (const key of ["cancellationReason", "seatUid"]) {
    if (present(body[key]) && typeof body[key] !== "string")
      errors.push(fieldError(key, { isString: `${key} must be a string` }));
  }
  if (present(body.cancelSubsequentBookings) && typeof body.cancelSubsequentBookings !== "boolean") {
    errors.push(
      fieldError("cancelSubsequentBookings", { isBoolean: "cancelSubsequentBookings must be a boolean value" }),
    );
  }
  return { errors, reason: typeof body.cancellationReason === "string" ? body.cancellationReason : null };
}

/** The legacy create goes through the global ValidationPipe; these are the five constraints seen live. */
export function validateLegacyCreate(body: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof body.start !== "string") errors.push(fieldError("start", { isString: "start must be a string" }));
  if (typeof body.eventTypeId !== "number") {
    errors.push(
      fieldError("eventTypeId", { isNumber: "eventTypeId must be a number conforming to the specified constraints" }),
    );
  }
  if (!isTimeZone(body.timeZone))
    errors.push(fieldError("timeZone", { isTimeZone: "timeZone must be a valid IANA time-zone" }));
  if (typeof body.language !== "string") errors.push(fieldError("language", { isString: "language must be a string" }));
  if (!isPlainObject(body.metadata)) errors.push(fieldError("metadata", { isObject: "metadata must be an object" }));
  return errors;
}
