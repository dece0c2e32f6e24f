/**
 * The raw console shows Cal.com's answers to operators and writes what was asked to the audit log. Any field whose
 * name says secret, key, token or password (webhook secrets, API keys, OAuth tokens, any nesting depth) is replaced
 * before either happens. null and absent values stay as they are, so "no secret set" is still visible.
 */
export const REDACTED = "[redacted]";
const SENSITIVE_NAME = /secret|key|token|password/i;

export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

export function redactSensitive(value: unknown, depth = 0): unknown {
  if (depth > 50) return REDACTED; // a pathological nesting is not worth walking
  if (Array.isArray(value)) return value.map((v) => redactSensitive(v, depth + 1));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      isSensitiveName(k) && v !== null && v !== undefined ? REDACTED : redactSensitive(v, depth + 1),
    ]),
  );
}

/** The read families the console may GET (shared/calcom-v2.md); webhooks, API keys, OAuth clients and the rest are not. */
const READ_FAMILIES: { family: string; pattern: RegExp }[] = [
  { family: "me", pattern: /^\/v2\/me$/ },
  { family: "teams", pattern: /^\/v2\/teams(\/\d+)?$/ },
  { family: "event-types", pattern: /^\/v2\/teams\/\d+\/event-types(\/\d+)?$/ },
  { family: "event-types", pattern: /^\/v2\/organizations\/\d+\/teams\/\d+\/event-types(\/\d+)?$/ },
  { family: "event-types", pattern: /^\/v2\/event-types(\/\d+)?$/ },
  { family: "slots", pattern: /^\/v2\/slots(\/available)?$/ },
  { family: "bookings", pattern: /^\/v2\/bookings(\/[A-Za-z0-9_-]+)?$/ },
  { family: "schedules", pattern: /^\/v2\/schedules(\/(\d+|default))?$/ },
];
export const RAW_READ_FAMILIES = [...new Set(READ_FAMILIES.map((f) => f.family))];

/** The read family a path belongs to, or null when the console may not call it. */
export function readFamilyOf(path: string): string | null {
  return READ_FAMILIES.find((f) => f.pattern.test(path.replace(/\/+$/, "")))?.family ?? null;
}
