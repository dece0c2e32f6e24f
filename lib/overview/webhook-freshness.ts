import "server-only";
import type { Freshness as WebhookFreshness } from "@/lib/webhooks/settings";
import { formatMinutes } from "@/lib/time/format";
import { ageLabel, minutesSince, type Freshness } from "./freshness";
import type { Health } from "./overview";

/** The last verified delivery; health from the verdict (webhook_silence), notes for what else needs a look. */
export function webhookFreshnessOf(f: WebhookFreshness, now: Date, health: Health): Freshness {
  const age = minutesSince(f.lastVerifiedAt, now);
  const last = age === null ? "no verified delivery yet" : `last verified delivery ${ageLabel(age)}`;
  const notes = [
    f.isSilent ? `silent for more than ${formatMinutes(f.silenceThresholdMinutes)} while bookings exist` : null,
    !f.hasSecret && !f.allowUnsigned ? "no webhook secret configured" : null,
    f.allowUnsigned ? "accepts unsigned deliveries" : null,
  ].filter(Boolean);
  return {
    lastAt: f.lastVerifiedAt?.toISOString() ?? null,
    ageMinutes: age,
    expectedMinutes: f.silenceThresholdMinutes,
    health: health === "ok" && age === null && !f.hasBookings ? "unknown" : health,
    summary: [last, ...notes].join("; "),
  };
}
