import type { Tone } from "@/components/ui/badge";

/** The filters offer exactly the stored vocabularies. */
export { WEBHOOK_STATUSES as STATUSES, WEBHOOK_VERDICTS as VERDICTS } from "@/drizzle/schema/webhook-values";
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
  if (verdict === "verified_previous_secret" || verdict === "unsigned_allowed" || verdict === "unverified")
    return "amber";
  return "red";
}

export function statusTone(status: string): Tone {
  return (
    (
      {
        processed: "green",
        pending: "blue",
        failed: "red",
        duplicate: "gray",
        ignored: "gray",
        rejected: "red",
      } as Record<string, Tone>
    )[status] ?? "gray"
  );
}

export const label = (value: string) => value.replace(/_/g, " ");
