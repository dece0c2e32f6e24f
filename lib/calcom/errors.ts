import type { ApiFamily } from "./versions";

/** The troubleshooting guide's codes (CAL-001 … CAL-010), plus the classes it has no code for (CAL-011 …). */
export const CAL_CODES = {
  "CAL-001": {
    title: "Invalid API key",
    hint: 'Verify the API key format (cal_live_…, no "Bearer ") and its permissions in Cal.com → Settings → API keys.',
  },
  "CAL-002": {
    title: "Event type not found",
    hint: "Re-sync event types; the service may point at a deleted or moved event type.",
  },
  "CAL-003": {
    title: "Slot unavailable",
    hint: "Check availability before booking and book exactly one returned slot start.",
  },
  "CAL-004": { title: "Invalid date format", hint: "Send UTC ISO 8601 times (2025-01-20T09:00:00Z)." },
  "CAL-005": {
    title: "Rate limit exceeded",
    hint: "Back off: Cal.com blocks a key for 60 s after its per-minute limit.",
  },
  "CAL-006": {
    title: "Team not found",
    hint: "Verify the team id / slug (and organization id) and that the key's user is a team member.",
  },
  "CAL-007": { title: "User not found", hint: "Check the staff member's Cal.com user id and username mapping." },
  "CAL-008": { title: "Invalid timezone", hint: "Use a valid IANA time zone such as Europe/Berlin." },
  "CAL-009": {
    title: "Booking conflict",
    hint: "Another booking took the slot; fetch slots again and offer another time.",
  },
  "CAL-010": {
    title: "Webhook signature invalid",
    hint: "Verify the webhook secret matches the one configured in Cal.com.",
  },
  "CAL-011": { title: "Booking not found", hint: "Booking routes take the string uid, never the numeric id." },
  "CAL-012": {
    title: "Cal.com unavailable",
    hint: "Cal.com answered 5xx, timed out or could not be reached; the circuit breaker counts these.",
  },
  "CAL-013": {
    title: "Circuit open",
    hint: "Calls are paused after repeated failures; see the Circuit panel, or reset it once Cal.com is healthy.",
  },
  "CAL-014": {
    title: "Request rejected",
    hint: "Cal.com rejected the request body or query, or our outbound URL policy refused the URL before sending; see the message and details.",
  },
  "CAL-015": {
    title: "Endpoint or version not found",
    hint: "Check the cal-api-version for this endpoint family and the base URL (…/v2).",
  },
  "CAL-016": {
    title: "Key lacks access",
    hint: "This key lacks access to the schedule or event type (Cal.com serves them only to owners, hosts and admins); use a team admin's key.",
  },
} as const;
export type CalCode = keyof typeof CAL_CODES;

export type CalcomErrorInit = {
  calCode: CalCode;
  status: number | null;
  message: string;
  family: ApiFamily;
  method: string;
  path: string;
  details?: unknown;
  /** Counts towards opening the circuit (5xx, timeouts, network errors, 429 after retries). */
  isBreakerFailure: boolean;
};

export class CalcomError extends Error {
  override name = "CalcomError";
  readonly calCode: CalCode;
  readonly status: number | null;
  readonly family: ApiFamily;
  readonly method: string;
  readonly path: string;
  readonly details: unknown;
  readonly isBreakerFailure: boolean;
  constructor(init: CalcomErrorInit) {
    super(init.message);
    this.calCode = init.calCode;
    this.status = init.status;
    this.family = init.family;
    this.method = init.method;
    this.path = init.path;
    this.details = init.details;
    this.isBreakerFailure = init.isBreakerFailure;
  }
  get hint(): string {
    return CAL_CODES[this.calCode].hint;
  }
  toJSON() {
    return {
      calCode: this.calCode,
      title: CAL_CODES[this.calCode].title,
      status: this.status,
      message: this.message,
      hint: this.hint,
      family: this.family,
      method: this.method,
      path: this.path,
    };
  }
}

type ValidationEntry = { property?: string };

/** Property names of class-validator entries (details.errors[]); structured data, not message text. */
function invalidProperties(details: unknown): string[] {
  const errors = (details as { errors?: ValidationEntry[] } | undefined)?.errors;
  return Array.isArray(errors) ? errors.map((e) => String(e.property ?? "")).filter(Boolean) : [];
}

/**
 * Classify by HTTP status and endpoint family (contract §2, §6.8): message texts differ between versions, so they
 * are shown to the operator but never branched on. Only within a 400 do structured validation details refine it.
 */
export function classifyStatus(
  status: number,
  family: ApiFamily,
  method: string,
  details: unknown,
  _path: string,
): { calCode: CalCode; isBreakerFailure: boolean } {
  if (status === 401 || status === 498) return { calCode: "CAL-001", isBreakerFailure: false };
  // §8.6: a 403 on schedules or event types is a permission of this key (owner, host or admin only), not a bad key.
  if (status === 403)
    return {
      calCode:
        family === "teams" ? "CAL-006" : family === "schedules" || family === "eventTypes" ? "CAL-016" : "CAL-001",
      isBreakerFailure: false,
    };
  if (status === 404) {
    if (family === "bookings") return { calCode: "CAL-011", isBreakerFailure: false };
    if (family === "eventTypes") return { calCode: "CAL-002", isBreakerFailure: false };
    if (family === "teams") return { calCode: "CAL-006", isBreakerFailure: false };
    return { calCode: "CAL-015", isBreakerFailure: false };
  }
  if (status === 409) return { calCode: "CAL-009", isBreakerFailure: false };
  if (status === 429) return { calCode: "CAL-005", isBreakerFailure: true };
  if (status >= 500) return { calCode: "CAL-012", isBreakerFailure: true };
  if (status === 400 || status === 422) {
    const props = invalidProperties(details);
    if (props.some((p) => /timezone/i.test(p))) return { calCode: "CAL-008", isBreakerFailure: false };
    if (props.some((p) => /^(start|end|startTime|endTime|after|before)/i.test(p)))
      return { calCode: "CAL-004", isBreakerFailure: false };
    // A booking create / reschedule refused with a plain string (§2, §8.1) may be a taken slot, a time out of bounds
    // or the attendee's data: CAL-014 here; the booking flow asks GET /v2/slots to tell them apart (lib/booking/refusal.ts).
    return { calCode: "CAL-014", isBreakerFailure: false };
  }
  return { calCode: "CAL-014", isBreakerFailure: false };
}
