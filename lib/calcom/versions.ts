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
} as const;

export type ApiFamily = keyof typeof API_VERSION_DEFAULTS;

export function resolveApiVersion(family: ApiFamily, overrides: Record<string, string> | undefined): string {
  return overrides?.[family] ?? API_VERSION_DEFAULTS[family];
}
