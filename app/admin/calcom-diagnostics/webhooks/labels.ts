import type { Tone } from "@/components/ui/badge";

/** Display of verdicts and statuses (kept in step with drizzle/schema/webhooks.ts). */
export const VERDICTS = [
  "verified",
  "verified_previous_secret",
  "unsigned_allowed",
  "missing_signature",
  "no_secret_provided",
  "signature_mismatch",
  "invalid_json",
  "unsupported_content_type",
  "payload_too_large",
  "unknown_tenant",
] as const;
export const STATUSES = ["pending", "processed", "failed", "duplicate", "ignored", "rejected"] as const;
export const TRIGGERS = [
  "BOOKING_CREATED",
  "BOOKING_REQUESTED",
  "BOOKING_RESCHEDULED",
  "BOOKING_CANCELLED",
  "BOOKING_REJECTED",
  "MEETING_STARTED",
  "MEETING_ENDED",
  "PING",
] as const;

export function verdictTone(verdict: string): Tone {
  if (verdict === "verified") return "green";
  if (verdict === "verified_previous_secret" || verdict === "unsigned_allowed") return "amber";
  return "red";
}

export function statusTone(status: string): Tone {
  return ({ processed: "green", pending: "blue", failed: "red", duplicate: "gray", ignored: "gray", rejected: "red" } as Record<string, Tone>)[status] ?? "gray";
}

export const label = (value: string) => value.replace(/_/g, " ");
