/**
 * cal-api-version per endpoint family (contract §1). One value for everything is a trap: a missing or unknown version
 * silently reaches Cal.com's legacy 2024-04-15 controllers (404 on /v2/slots, another shape on /v2/event-types).
 */
export const API_VERSION_DEFAULTS = {
  bookings: "2024-08-13",
  slots: "2024-09-04",
  eventTypes: "2024-06-14",
  // /v2/me, /v2/teams* and team event types accept any known version; send one anyway so nothing is implicit.
  me: "2024-08-13",
  teams: "2024-06-14",
  schedules: "2024-06-11",
  webhooks: "2024-08-13",
  // GET /v2/slots/available, POST /v2/slots/reserve: the hidden legacy slots controller (contract §3.3).
  slotsLegacy: "2024-08-13",
} as const;

export type ApiFamily = keyof typeof API_VERSION_DEFAULTS;

export function resolveApiVersion(family: ApiFamily, overrides: Record<string, string> | undefined): string {
  return overrides?.[family] ?? API_VERSION_DEFAULTS[family];
}

/** Cal.com's known version constants (contract §1): anything else is silently routed to 2024-04-15. */
export const KNOWN_API_VERSIONS = [
  "2024-04-15",
  "2024-06-11",
  "2024-06-14",
  "2024-08-13",
  "2024-09-04",
  "2026-02-25",
] as const;

/**
 * The values each family's controllers are registered for (contract §1 table). A known value outside this list still
 * reaches a legacy controller or a 404, so settings accept only these.
 */
const ALLOWED_API_VERSIONS: Record<ApiFamily, readonly string[]> = {
  bookings: ["2024-08-13", "2026-02-25"],
  slots: ["2024-09-04"],
  slotsLegacy: ["2024-04-15", "2024-06-11", "2024-06-14", "2024-08-13"],
  eventTypes: ["2024-06-14"],
  schedules: ["2024-06-11"],
  me: KNOWN_API_VERSIONS,
  teams: KNOWN_API_VERSIONS,
  webhooks: KNOWN_API_VERSIONS,
};

/** Null when allowed, else a message naming the field and the allowed values. */
export function apiVersionProblem(family: ApiFamily, value: string): string | null {
  const allowed = ALLOWED_API_VERSIONS[family];
  if (allowed.includes(value)) return null;
  return `calcomApiVersions.${family}: "${value}" is not a cal-api-version Cal.com serves ${family} with; allowed: ${allowed.join(", ")}. Cal.com does not reject unknown values, it silently routes them to its legacy handlers.`;
}
