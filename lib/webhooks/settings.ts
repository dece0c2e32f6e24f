import "server-only";
import * as clock from "@/lib/time/clock";
import { and, desc, eq, gte, inArray } from "drizzle-orm";
import { z } from "zod";
import { appointments, companies, companyWebhookSecrets } from "@/drizzle/schema/core";
import { ACCEPTED_VERDICTS, webhookDeliveries, webhookSettings, type WebhookSettings } from "@/drizzle/schema/webhooks";
import { writeAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/roles";
import { getEnv } from "@/lib/config/env";
import { decryptSecret } from "@/lib/crypto/secret-box";
import type { Db, DbOrTx } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import type { SecretCandidate } from "./verify";

export const DEFAULT_SETTINGS = {
  allowUnsigned: false,
  applyUnverifiedMeetings: false,
  silenceThresholdMinutes: 1440,
  payloadRetentionDays: 30,
} as const;

export type EffectiveSettings = Pick<
  WebhookSettings,
  "allowUnsigned" | "applyUnverifiedMeetings" | "silenceThresholdMinutes" | "payloadRetentionDays"
>;

export async function getWebhookSettings(db: DbOrTx, companyId: number): Promise<EffectiveSettings> {
  const [row] = await db.select().from(webhookSettings).where(eq(webhookSettings.companyId, companyId));
  return row ?? { ...DEFAULT_SETTINGS };
}

export const updateWebhookSettingsSchema = z.object({
  companyId: z.number().int().positive(),
  allowUnsigned: z.boolean().optional(),
  /** Apply unsigned MEETING_STARTED/ENDED (contract §8.5); they are always kept in the log as "unverified". */
  applyUnverifiedMeetings: z.boolean().optional(),
  silenceThresholdMinutes: z
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 30)
    .optional(),
  payloadRetentionDays: z.number().int().min(1).max(3650).optional(),
});

export async function updateWebhookSettings(
  db: Db,
  opts: { input: z.infer<typeof updateWebhookSettingsSchema>; actor: Actor },
): Promise<EffectiveSettings> {
  const input = updateWebhookSettingsSchema.parse(opts.input);
  return db.transaction(async (tx) => {
    const [company] = await tx.select({ id: companies.id }).from(companies).where(eq(companies.id, input.companyId));
    if (!company) throw new AppError("NOT_FOUND", `Company ${input.companyId} not found`);
    const next = { ...(await getWebhookSettings(tx, input.companyId)), ...stripUndefined(input) };
    const values = {
      companyId: input.companyId,
      allowUnsigned: next.allowUnsigned,
      applyUnverifiedMeetings: next.applyUnverifiedMeetings,
      silenceThresholdMinutes: next.silenceThresholdMinutes,
      payloadRetentionDays: next.payloadRetentionDays,
    };
    await tx
      .insert(webhookSettings)
      .values(values)
      .onConflictDoUpdate({ target: webhookSettings.companyId, set: { ...values, updatedAt: clock.now() } });
    await writeAudit(tx, {
      actor: opts.actor,
      action: "webhooks.settings.update",
      targetType: "company",
      targetId: input.companyId,
      companyId: input.companyId,
      details: input,
    });
    return next;
  });
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export type CompanyCandidates = { companyId: number; slug: string; candidates: SecretCandidate[] };

/**
 * Active secrets per company, newest first: the newest is "current", older active ones are "previous" (rotation).
 * CALCOM_WEBHOOK_SECRET is the default company's secret, tried after its stored ones. It is configuration, not part
 * of a rotation, so it always counts as current: a delivery it verifies is never "signed with the previous secret".
 */
export async function loadSecretCandidates(db: DbOrTx, companyIds?: number[]): Promise<CompanyCandidates[]> {
  const rows = await db
    .select({ id: companies.id, slug: companies.slug, isDefault: companies.isDefault })
    .from(companies)
    .where(companyIds ? inArray(companies.id, companyIds) : undefined);
  if (rows.length === 0) return [];
  const secrets = await db
    .select()
    .from(companyWebhookSecrets)
    .where(
      and(
        eq(companyWebhookSecrets.isActive, true),
        inArray(
          companyWebhookSecrets.companyId,
          rows.map((r) => r.id),
        ),
      ),
    )
    .orderBy(desc(companyWebhookSecrets.id));
  const envSecret = getEnv().CALCOM_WEBHOOK_SECRET;
  return rows.map((company) => {
    const own = secrets.filter((s) => s.companyId === company.id);
    const candidates: SecretCandidate[] = [];
    own.forEach((s, index) => {
      try {
        candidates.push({ secretId: s.id, label: s.label, secret: decryptSecret(s.secretEnc), isCurrent: index === 0 });
      } catch {
        console.error(
          `[webhooks] webhook secret ${s.id} of company ${company.id} cannot be decrypted (APP_ENCRYPTION_KEY changed?)`,
        );
      }
    });
    if (company.isDefault && envSecret)
      candidates.push({ secretId: null, label: "CALCOM_WEBHOOK_SECRET", secret: envSecret, isCurrent: true });
    return { companyId: company.id, slug: company.slug, candidates };
  });
}

export type Freshness = {
  companyId: number;
  companyName: string;
  lastVerifiedAt: Date | null;
  lastDeliveryAt: Date | null;
  silenceThresholdMinutes: number;
  payloadRetentionDays: number;
  hasBookings: boolean;
  isSilent: boolean;
  allowUnsigned: boolean;
  applyUnverifiedMeetings: boolean;
  hasSecret: boolean;
};

/** Per company: last verified delivery and a warning when none arrived within the threshold while bookings exist. */
export async function getFreshness(db: DbOrTx, opts: { companyId?: number; now?: Date } = {}): Promise<Freshness[]> {
  const now = opts.now ?? clock.now();
  const rows = await db
    .select({ id: companies.id, name: companies.name, createdAt: companies.createdAt })
    .from(companies)
    .where(opts.companyId ? eq(companies.id, opts.companyId) : undefined)
    .orderBy(companies.id);
  const candidates = await loadSecretCandidates(
    db,
    rows.map((r) => r.id),
  );
  const result: Freshness[] = [];
  for (const company of rows) {
    const settings = await getWebhookSettings(db, company.id);
    const d = webhookDeliveries;
    // Both served by index scans that stop at the first row (company_verified partial index, company_received).
    const [verified] = await db
      .select({ at: d.receivedAt })
      .from(d)
      .where(and(eq(d.companyId, company.id), inArray(d.verdict, [...ACCEPTED_VERDICTS])))
      .orderBy(desc(d.receivedAt))
      .limit(1);
    const [any] = await db
      .select({ at: d.receivedAt })
      .from(d)
      .where(eq(d.companyId, company.id))
      .orderBy(desc(d.receivedAt), desc(d.id))
      .limit(1);
    const since = new Date(now.getTime() - settings.silenceThresholdMinutes * 60_000);
    const [booking] = await db
      .select({ id: appointments.id })
      .from(appointments)
      .where(and(eq(appointments.companyId, company.id), gte(appointments.startsAt, since)))
      .limit(1);
    const lastVerifiedAt = verified?.at ?? null;
    result.push({
      companyId: company.id,
      companyName: company.name,
      lastVerifiedAt,
      lastDeliveryAt: any?.at ?? null,
      silenceThresholdMinutes: settings.silenceThresholdMinutes,
      payloadRetentionDays: settings.payloadRetentionDays,
      hasBookings: Boolean(booking),
      // Silence counts from the last verified delivery, or from the company's creation when none came yet: a fresh
      // install is not "silent" before a delivery could have arrived.
      isSilent: Boolean(booking) && (lastVerifiedAt ?? company.createdAt) < since,
      allowUnsigned: settings.allowUnsigned,
      applyUnverifiedMeetings: settings.applyUnverifiedMeetings,
      hasSecret: (candidates.find((c) => c.companyId === company.id)?.candidates.length ?? 0) > 0,
    });
  }
  return result;
}
