import "server-only";
import { parseOrBadRequest } from "@/lib/errors";
import * as clock from "@/lib/time/clock";
import { eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { bookingFallbackModes } from "@/drizzle/schema/booking";
import { companies } from "@/drizzle/schema/core";
import { writeAudit } from "@/lib/audit/audit";
import { actorLabel, type Actor } from "@/lib/auth/roles";
import { getCompanyOrThrow } from "@/lib/companies/companies";
import type { Db, DbOrTx } from "@/lib/db/types";

/** Fallback mode: an operator sends every booking request of a company to the manual queue, until it expires. */

const DEFAULT_FALLBACK_MINUTES = 120;

const setFallbackModeSchema = z.object({
  companyId: z.number().int().positive(),
  isEnabled: z.boolean(),
  /** How long it stays on; default 2 hours, at most 7 days. */
  minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(DEFAULT_FALLBACK_MINUTES),
  reason: z.string().trim().min(3, "Give a reason (at least 3 characters)").max(500),
});

export type FallbackModeView = {
  companyId: number;
  companyName: string;
  isActive: boolean;
  reason: string | null;
  expiresAt: Date | null;
  setBy: string | null;
  updatedAt: Date | null;
};

export async function isFallbackModeActive(
  db: DbOrTx,
  companyId: number,
  now = clock.now(),
): Promise<{ isActive: boolean; reason: string | null; expiresAt: Date | null }> {
  const [row] = await db.select().from(bookingFallbackModes).where(eq(bookingFallbackModes.companyId, companyId));
  const isActive = Boolean(row?.isEnabled && row.expiresAt && row.expiresAt > now);
  return {
    isActive,
    reason: isActive ? (row?.reason ?? null) : null,
    expiresAt: isActive ? (row?.expiresAt ?? null) : null,
  };
}

export async function listFallbackModes(
  db: DbOrTx,
  opts: { companyId?: number } = {},
  now = clock.now(),
): Promise<FallbackModeView[]> {
  const rows = await db
    .select({ id: companies.id, name: companies.name, mode: bookingFallbackModes })
    .from(companies)
    .leftJoin(bookingFallbackModes, eq(bookingFallbackModes.companyId, companies.id))
    .where(opts.companyId ? inArray(companies.id, [opts.companyId]) : undefined)
    .orderBy(companies.name);
  return rows.map((r) => {
    const isActive = Boolean(r.mode?.isEnabled && r.mode.expiresAt && r.mode.expiresAt > now);
    return {
      companyId: r.id,
      companyName: r.name,
      isActive,
      reason: r.mode?.reason ?? null,
      expiresAt: r.mode?.expiresAt ?? null,
      setBy: r.mode?.setByLabel ?? null,
      updatedAt: r.mode?.updatedAt ?? null,
    };
  });
}

export type SetFallbackModeInput = z.input<typeof setFallbackModeSchema> & { actor: Actor };

export async function setFallbackMode(
  db: Db,
  input: SetFallbackModeInput,
): Promise<{ isActive: boolean; expiresAt: Date | null }> {
  const { actor } = input;
  const m = parseOrBadRequest(setFallbackModeSchema, input);
  const now = clock.now();
  const expiresAt = m.isEnabled ? new Date(now.getTime() + m.minutes * 60_000) : null;
  await db.transaction(async (tx) => {
    await getCompanyOrThrow(tx, m.companyId);
    const values = {
      isEnabled: m.isEnabled,
      reason: m.reason,
      expiresAt,
      setByLabel: actorLabel(actor),
      updatedAt: now,
    };
    await tx
      .insert(bookingFallbackModes)
      .values({ companyId: m.companyId, ...values })
      .onConflictDoUpdate({ target: bookingFallbackModes.companyId, set: values });
    await writeAudit(tx, {
      actor,
      action: m.isEnabled ? "booking.fallback-mode.on" : "booking.fallback-mode.off",
      targetType: "company",
      targetId: m.companyId,
      companyId: m.companyId,
      reason: m.reason,
      details: { expiresAt: expiresAt?.toISOString() ?? null, minutes: m.isEnabled ? m.minutes : null },
    });
  });
  return { isActive: m.isEnabled, expiresAt };
}
