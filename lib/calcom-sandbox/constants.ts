/**
 * Versions and verbatim Cal.com texts the sandbox answers with (shared/calcom-v2.md). Texts are kept in one place
 * because clients and tests match on them.
 */
import type { KNOWN_API_VERSIONS } from "@/lib/calcom/versions";

export const CAL_API_VERSION_HEADER = "cal-api-version";
// The client's list is Cal.com's, and the sandbox must answer exactly the versions Cal.com knows.
export type CalApiVersion = (typeof KNOWN_API_VERSIONS)[number];
/** NestJS CUSTOM versioning: a missing or unknown header reaches the legacy controllers. */
export const DEFAULT_VERSION: CalApiVersion = "2024-04-15";

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- only its type is used
const FAMILIES = ["me", "teams", "event-types", "slots", "bookings", "webhooks", "other"] as const;
export type Family = (typeof FAMILIES)[number];

export const MSG = {
  noAuth:
    "ApiAuthStrategy - No authentication method provided. Either pass an API key as 'Bearer' header or OAuth client credentials as 'x-cal-secret-key' and 'x-cal-client-id' headers",
  invalidKey: "ApiAuthStrategy - api key - Your api key is not valid",
  expiredKey: "ApiAuthStrategy - api key - Your api key is expired",
  invalidAccessToken: "ApiAuthStrategy - access token - Invalid Access Token.",
  listNoAuth:
    "PermissionsGuard - no authentication provided. Provide either authorization bearer token containing managed user access token or oAuth client id in 'x-cal-client-id' header.",
  throttled: "CustomThrottlerGuard - Too many requests. Please try again later.",
  slotsEventTypeNotFound: "Event Type not found",
  taken: "User either already has booking at this time or is not available",
  takenTeam: "One of the hosts either already has booking at this time or is not available",
  outOfBounds:
    'The event type can\'t be booked at the "start" time provided. This could be because it\'s too soon (violating the minimum booking notice) or too far in the future (outside the event\'s scheduling window). Try fetching available slots first using the GET /v2/slots endpoint and then make a booking with "start" time equal to one of the available slots.',
  past: "Attempting to book a meeting in the past.",
  metadata: "Metadata must have at most 50 keys, each key up to 40 characters, and string values up to 500 characters.",
  contact: "Attendee must have at least one contact method (email or phone number)",
  eventLookup: "Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug must be provided",
  invalidStatus: "Invalid status. Allowed are upcoming, recurring, past, cancelled, unconfirmed",
  cancelEnded: "Cannot cancel a booking that has already ended",
  singleLength:
    "Can't specify 'lengthInMinutes' because event type does not have multiple possible lengths. Please, remove the 'lengthInMinutes' field from the request.",
  legacyUidNotId: "Please provide booking uid instead of booking id.",
  legacyBadRange: "Invalid time range given - check the 'startTime' and 'endTime' query parameters.",
  // ErrorCode.BookingSeatsFull, answered 409 (packages/lib/server/getServerErrorFromUnknown.ts in calcom/cal.com).
  seatsFull: "booking_seats_full_error",
  // §6.7: a team event type without hosts (a managed parent has none of its own) is a 400 since PR #24206.
  noAvailableUsers: "no_available_users_found_error",
  internal: "Internal server error",
  internalEnvelope: "There was an error, please try again later.",
} as const;

export const msgBookingNotFound = (uid: string) => `Booking with uid=${uid} was not found in the database`;
export const msgCancelNotFound = (uid: string) => `Booking with uid=${uid} not found`;
export const msgEventTypeNotFound = (id: number | string) => `Event type with id ${id} not found.`;
export const msgCancelledAlready = (uid: string) =>
  `Can't cancel booking with uid=${uid} because it has been cancelled already. Please provide uid of a booking that is not cancelled.`;
export const msgRescheduleCancelled = (uid: string) =>
  `Can't reschedule booking with uid=${uid} because it has been cancelled. Please provide uid of a booking that is not cancelled.`;
export const msgRescheduledAlready = (uid: string, to: string) =>
  `Can't reschedule booking with uid=${uid} because it has been cancelled and rescheduled already to booking with uid=${to}. You probably want to reschedule ${to} instead by passing it within the request URL.`;

/** Attendee languages Cal.com accepts (class-validator enum). */
export const LANGUAGES = [
  "ar",
  "ca",
  "de",
  "es",
  "eu",
  "he",
  "id",
  "ja",
  "lv",
  "pl",
  "ro",
  "sr",
  "th",
  "vi",
  "az",
  "cs",
  "el",
  "es-419",
  "fi",
  "hr",
  "it",
  "km",
  "nl",
  "pt",
  "ru",
  "sv",
  "tr",
  "zh-CN",
  "bg",
  "da",
  "en",
  "et",
  "fr",
  "hu",
  "iw",
  "ko",
  "no",
  "pt-BR",
  "sk",
  "sl",
  "ta",
  "uk",
  "zh-TW",
  "bn",
] as const;

export const BOOKING_TRIGGERS = [
  "BOOKING_CREATED",
  "BOOKING_RESCHEDULED",
  "BOOKING_CANCELLED",
  "BOOKING_REQUESTED",
  "BOOKING_REJECTED",
  "MEETING_STARTED",
  "MEETING_ENDED",
] as const;
export type SandboxTrigger = (typeof BOOKING_TRIGGERS)[number];

/** NestJS exception class and reason phrase per status, for the error envelope. */
export const EXCEPTIONS: Record<number, [string, string]> = {
  400: ["BadRequestException", "Bad Request"],
  401: ["UnauthorizedException", "Unauthorized"],
  403: ["ForbiddenException", "Forbidden"],
  404: ["NotFoundException", "Not Found"],
  409: ["ConflictException", "Conflict"],
  413: ["PayloadTooLargeException", "Payload Too Large"],
  429: ["ThrottlerException", "Too Many Requests"],
  500: ["InternalServerErrorException", "Internal Server Error"],
  502: ["BadGatewayException", "Bad Gateway"],
  503: ["ServiceUnavailableException", "Service Unavailable"],
  504: ["GatewayTimeoutException", "Gateway Timeout"],
};
