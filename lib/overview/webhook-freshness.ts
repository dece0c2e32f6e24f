import "server-only";
import type { Db } from "@/lib/db/types";
import { formatMinutes } from "@/lib/time/format";
import { getFreshness } from "@/lib/webhooks/settings";
import { ageLabel, minutesSince, type Freshness } from "./freshness";

/** Last verified delivery; a warning when none arrived within the company's silence threshold while bookings exist. */
export async function loadWebhookFreshness(db: Db, companyIds: number[], now: Date): Promise<Map<number, Freshness>> {
  const rows = await getFreshness(db, { now });
  const out = new Map<number, Freshness>();
  for (const f of rows) {
    if (!companyIds.includes(f.companyId)) continue;
    const age = minutesSince(f.lastVerifiedAt, now);
    const last = age === null ? "no verified delivery yet" : `last verified delivery ${ageLabel(age)}`;
    const notes = [
      f.isSilent ? `silent for more than ${formatMinutes(f.silenceThresholdMinutes)} while bookings exist` : null,
      !f.hasSecret && !f.allowUnsigned ? "no webhook secret configured" : null,
      f.allowUnsigned ? "accepts unsigned deliveries" : null,
    ].filter(Boolean);
    out.set(f.companyId, {
      lastAt: f.lastVerifiedAt?.toISOString() ?? null,
      ageMinutes: age,
      expectedMinutes: f.silenceThresholdMinutes,
      health: f.isSilent || (!f.hasSecret && !f.allowUnsigned) ? "warning" : age === null && !f.hasBookings ? "unknown" : "ok",
      summary: [last, ...notes].join("; "),
    });
  }
  return out;
}
