import "server-only";
import type { Db } from "@/lib/db/types";
import { redactForBundle } from "./redact";
import { getTimeline, type Timeline } from "./timeline";

/** "Export support bundle": the timeline as a JSON file safe to hand to Cal.com support or a vendor. */
export type SupportBundle = {
  kind: "calcom-diagnostics.support-bundle";
  version: 1;
  generatedAt: string;
  redaction: string;
  timeline: Timeline;
};

export async function buildSupportBundle(
  db: Db,
  key: string | number,
): Promise<{ filename: string; bundle: SupportBundle }> {
  const timeline = await getTimeline(db, key);
  const a = timeline.subject.attendee;
  const names = [a?.name, ...(a?.name ?? "").split(/\s+/)].filter((n): n is string => Boolean(n && n.length >= 3));
  const redacted = redactForBundle(timeline, names);
  const id = timeline.subject.appointmentId
    ? `appointment-${timeline.subject.appointmentId}`
    : `booking-${timeline.subject.currentUid}`;
  return {
    filename: `support-bundle-${id}-${timeline.generatedAt.slice(0, 19).replace(/[-:]/g, "")}.json`,
    bundle: {
      kind: "calcom-diagnostics.support-bundle",
      version: 1,
      generatedAt: timeline.generatedAt,
      redaction:
        "Names, emails and phone numbers are masked; secrets, keys, tokens and signatures are removed. Webhook bodies are not included.",
      timeline: redacted,
    },
  };
}
