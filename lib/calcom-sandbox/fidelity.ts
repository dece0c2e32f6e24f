import { z } from "zod";
import type { DbOrTx } from "@/lib/db/types";
import { readSettings, writeSetting } from "./settings";

/**
 * Which real Cal.com behaviour the sandbox models where Cal.com itself differs by version or deployment
 * (shared/calcom-v2.md §8). Stored in sandbox_settings so every app instance serves the same sandbox; set from the
 * control endpoint (`PUT /_control/fidelity`) or `setSandboxFidelity`. docs/calcom-fidelity.md lists each setting.
 */
const fidelitySchema = z
  .object({
    /** §8.2: the inline delivery path awaits the webhook sends before it answers the booking request. */
    webhookBeforeAnswer: z.boolean().default(false),
    /** §8.3: newer Cal.com (PR #27546) queues BOOKING_REQUESTED of a reschedule with no rescheduleUid/rescheduleId. */
    requestedWithoutRescheduleFields: z.boolean().default(false),
    /** §8.5: scheduled MEETING_* carry no signature when Cal.com no longer finds the webhook row. */
    meetingSignature: z.enum(["signed", "unsigned"]).default("signed"),
    /** §8.6: `checkUserOwnsSchedule` serves a schedule to its owner only; off = team admins may read it too. */
    scheduleOwnerOnly: z.boolean().default(false),
    /** §8.7: `IsAdminAPIEnabledGuard` on /v2/organizations/{orgId}/...; off = those routes answer 403. */
    orgAdminApi: z.boolean().default(true),
  })
  .strict();
export type SandboxFidelity = z.infer<typeof fidelitySchema>;
/** Only the named fields: zod 4's .partial() would still fill in the defaults and wipe the stored values. */
export const fidelityPatchSchema = z
  .object({
    webhookBeforeAnswer: z.boolean().optional(),
    requestedWithoutRescheduleFields: z.boolean().optional(),
    meetingSignature: z.enum(["signed", "unsigned"]).optional(),
    scheduleOwnerOnly: z.boolean().optional(),
    orgAdminApi: z.boolean().optional(),
  })
  .strict();

const KEY = "fidelity";

/** The settings closest to hosted Cal.com today (the "real Cal.com" preset of docs/calcom-fidelity.md). */
export const REAL_CALCOM_FIDELITY: SandboxFidelity = {
  webhookBeforeAnswer: true,
  requestedWithoutRescheduleFields: true,
  meetingSignature: "unsigned",
  scheduleOwnerOnly: true,
  orgAdminApi: false,
};

export async function readFidelity(db: DbOrTx): Promise<SandboxFidelity> {
  const parsed = fidelitySchema.safeParse((await readSettings(db)).get(KEY) ?? {});
  return parsed.success ? parsed.data : fidelitySchema.parse({});
}

/** Merges a patch into the stored settings (`replace` starts from the defaults). */
export async function setSandboxFidelity(
  db: DbOrTx,
  patch: z.input<typeof fidelityPatchSchema>,
  opts: { replace?: boolean } = {},
): Promise<SandboxFidelity> {
  const base = opts.replace ? fidelitySchema.parse({}) : await readFidelity(db);
  const changes = Object.fromEntries(
    Object.entries(fidelityPatchSchema.parse(patch)).filter(([, v]) => v !== undefined),
  );
  const next = fidelitySchema.parse({ ...base, ...changes });
  await writeSetting(db, KEY, next);
  return next;
}
