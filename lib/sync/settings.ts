import "server-only";
import { parseOrBadRequest } from "@/lib/errors";
import * as clock from "@/lib/time/clock";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { syncSettings, type SyncSettings } from "@/drizzle/schema/sync";
import type { Actor } from "@/lib/auth/roles";
import { writeAudit } from "@/lib/audit/audit";
import { getCompanyOrThrow } from "@/lib/companies/companies";
import type { Db, DbOrTx } from "@/lib/db/types";

export type EffectiveSyncSettings = Omit<SyncSettings, "updatedAt"> & { isDefault: boolean };

export const DEFAULT_SYNC_SETTINGS = {
  isScheduleEnabled: true,
  intervalMinutes: 30,
  orphanSharePercent: 20,
  isAutoDeactivate: false,
} as const;

/** A company without a row uses the defaults: every 30 minutes, 20% share guard, no automatic deactivation. */
export async function getSyncSettings(db: DbOrTx, companyId: number): Promise<EffectiveSyncSettings> {
  const [row] = await db.select().from(syncSettings).where(eq(syncSettings.companyId, companyId));
  if (!row) return { companyId, ...DEFAULT_SYNC_SETTINGS, isDefault: true };
  const { updatedAt: _updatedAt, ...rest } = row;
  return { ...rest, isDefault: false };
}

export async function listSyncSettings(db: DbOrTx): Promise<Map<number, SyncSettings>> {
  const rows = await db.select().from(syncSettings);
  return new Map(rows.map((r) => [r.companyId, r]));
}

const updateSyncSettingsSchema = z.object({
  companyId: z.number().int().positive(),
  isScheduleEnabled: z.boolean().optional(),
  intervalMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .optional(),
  orphanSharePercent: z.number().int().min(0).max(100).optional(),
  isAutoDeactivate: z.boolean().optional(),
  reason: z.string().trim().max(500).optional(),
});
export type UpdateSyncSettingsInput = z.infer<typeof updateSyncSettingsSchema>;

/** Admins change the schedule and safety rules; audited with the values before and after. */
export async function updateSyncSettings(
  db: Db,
  input: UpdateSyncSettingsInput & { actor: Actor },
): Promise<EffectiveSyncSettings> {
  const { actor } = input;
  const { companyId, reason, ...patch } = parseOrBadRequest(updateSyncSettingsSchema, input);
  await getCompanyOrThrow(db, companyId);
  return db.transaction(async (tx) => {
    const before = await getSyncSettings(tx, companyId);
    const next = {
      isScheduleEnabled: patch.isScheduleEnabled ?? before.isScheduleEnabled,
      intervalMinutes: patch.intervalMinutes ?? before.intervalMinutes,
      orphanSharePercent: patch.orphanSharePercent ?? before.orphanSharePercent,
      isAutoDeactivate: patch.isAutoDeactivate ?? before.isAutoDeactivate,
    };
    await tx
      .insert(syncSettings)
      .values({ companyId, ...next })
      .onConflictDoUpdate({ target: syncSettings.companyId, set: { ...next, updatedAt: clock.now() } });
    const { isDefault: _isDefault, companyId: _c, ...old } = before;
    await writeAudit(tx, {
      actor,
      action: "sync.settings.update",
      targetType: "company",
      targetId: companyId,
      companyId,
      reason,
      details: { before: old, after: next },
    });
    return { companyId, ...next, isDefault: false };
  });
}
