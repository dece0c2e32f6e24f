import "server-only";
import * as clock from "@/lib/time/clock";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { alertSettings, type AlertSettings } from "@/drizzle/schema/alerts";
import { writeAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/roles";
import { getCompanyOrThrow } from "@/lib/companies/companies";
import type { Db, DbOrTx } from "@/lib/db/types";
import { assertOutboundUrl } from "@/lib/net/outbound-fetch";

export type AlertThresholds = Omit<AlertSettings, "companyId" | "updatedAt">;

/** The troubleshooting guide's thresholds (success rate < 95 %, average latency > 1000 ms, > 5 trips an hour) and ours. */
export const DEFAULT_THRESHOLDS: AlertThresholds = {
  successRateMinPct: 95,
  avgLatencyMaxMs: 1000,
  circuitTripsPerHourMax: 5,
  windowMinutes: 15,
  minCalls: 20,
  syncStaleMinutes: 120,
  manualQueueMaxAgeMinutes: 30,
  webhookDeadlineMinutes: 5,
  notifyEmail: null,
  notifyWebhookUrl: null,
};

export async function getAlertThresholds(db: DbOrTx, companyId: number): Promise<AlertThresholds> {
  const [row] = await db.select().from(alertSettings).where(eq(alertSettings.companyId, companyId));
  if (!row) return { ...DEFAULT_THRESHOLDS };
  const { companyId: _c, updatedAt: _u, ...thresholds } = row;
  return thresholds;
}

/** Every company's thresholds in one query (companies without a row get the defaults). */
export async function getAllAlertThresholds(db: DbOrTx): Promise<Map<number, AlertThresholds>> {
  const rows = await db.select().from(alertSettings);
  return new Map(rows.map(({ companyId, updatedAt: _u, ...t }) => [companyId, t]));
}

const nullableText = (schema: z.ZodType<string>) =>
  z
    .union([schema, z.literal(""), z.null()])
    .transform((v) => (v ? v : null))
    .optional();

export const updateAlertThresholdsSchema = z
  .object({
    successRateMinPct: z.number().min(0).max(100),
    avgLatencyMaxMs: z.number().int().min(1).max(120_000),
    circuitTripsPerHourMax: z.number().int().min(0).max(1000),
    windowMinutes: z.number().int().min(1).max(1440),
    minCalls: z.number().int().min(1).max(100_000),
    syncStaleMinutes: z
      .number()
      .int()
      .min(5)
      .max(60 * 24 * 14),
    manualQueueMaxAgeMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 14),
    webhookDeadlineMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    notifyEmail: nullableText(z.email("Notify email must be an email address")),
    notifyWebhookUrl: nullableText(z.url({ protocol: /^https?$/, message: "Notify webhook must be an https URL" })),
  })
  .partial()
  .strict();
export type UpdateAlertThresholdsInput = z.infer<typeof updateAlertThresholdsSchema>;

export async function updateAlertThresholds(
  db: Db,
  opts: { companyId: number; input: UpdateAlertThresholdsInput; actor: Actor },
): Promise<AlertThresholds> {
  await getCompanyOrThrow(db, opts.companyId);
  // The notify webhook is called by the server: the outbound URL policy applies (https, public address).
  if (opts.input.notifyWebhookUrl) await assertOutboundUrl(opts.input.notifyWebhookUrl, "notifyWebhookUrl");
  return db.transaction(async (tx) => {
    const before = await getAlertThresholds(tx, opts.companyId);
    const next = { ...before, ...opts.input };
    await tx
      .insert(alertSettings)
      .values({ companyId: opts.companyId, ...next })
      .onConflictDoUpdate({ target: alertSettings.companyId, set: { ...next, updatedAt: clock.now() } });
    const changed = Object.fromEntries(
      Object.entries(opts.input).filter(([k, v]) => before[k as keyof AlertThresholds] !== v),
    );
    await writeAudit(tx, {
      actor: opts.actor,
      action: "alerts.thresholds.update",
      targetType: "company",
      targetId: opts.companyId,
      companyId: opts.companyId,
      details: { changed },
    });
    return next;
  });
}
