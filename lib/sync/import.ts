import "server-only";
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import { z } from "zod";
import { services } from "@/drizzle/schema/core";
import { syncEventTypes, type SyncEventType } from "@/drizzle/schema/sync";
import type { Actor } from "@/lib/auth/roles";
import { writeAudit } from "@/lib/audit/audit";
import { getCompanyOrThrow } from "@/lib/companies/companies";
import type { Db, DbOrTx } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { companyIdSchema } from "@/lib/http/params";

export type MirrorRow = SyncEventType & { serviceIds: number[] };

export const eventTypesQuerySchema = z.object({ companyId: companyIdSchema });

/** The company's event types as the last live sync saw them, with the services that point at each. */
export async function listMirror(db: DbOrTx, companyId: number): Promise<MirrorRow[]> {
  const rows = await db
    .select()
    .from(syncEventTypes)
    .where(eq(syncEventTypes.companyId, companyId))
    .orderBy(asc(syncEventTypes.title));
  const linked = await db
    .select({ id: services.id, eventTypeId: services.calcomEventTypeId })
    .from(services)
    .where(and(eq(services.companyId, companyId), isNotNull(services.calcomEventTypeId)));
  return rows.map((r) => ({
    ...r,
    serviceIds: linked.filter((l) => l.eventTypeId === r.eventTypeId).map((l) => l.id),
  }));
}

export const importSchema = z.object({
  companyId: z.number().int().positive(),
  eventTypeIds: z.array(z.number().int().positive()).min(1).max(200),
});

/**
 * Importing is an explicit action: each chosen event type (present in the team list at the last sync, not linked
 * yet) becomes an active service with its title and length. Audited per import.
 */
export async function importEventTypes(db: Db, input: z.infer<typeof importSchema> & { actor: Actor }) {
  await getCompanyOrThrow(db, input.companyId);
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(syncEventTypes)
      .where(
        and(
          eq(syncEventTypes.companyId, input.companyId),
          inArray(syncEventTypes.eventTypeId, input.eventTypeIds),
          eq(syncEventTypes.isPresent, true),
        ),
      );
    const missing = input.eventTypeIds.filter((id) => !rows.some((r) => r.eventTypeId === id));
    if (missing.length)
      throw new AppError(
        "BAD_REQUEST",
        `Not in the team list at the last sync: ${missing.join(", ")}; run a sync first`,
      );
    const taken = await tx
      .select({ id: services.id, eventTypeId: services.calcomEventTypeId })
      .from(services)
      .where(and(eq(services.companyId, input.companyId), inArray(services.calcomEventTypeId, input.eventTypeIds)));
    if (taken.length)
      throw new AppError("CONFLICT", `Already linked to a service: ${taken.map((t) => t.eventTypeId).join(", ")}`);
    const created = await tx
      .insert(services)
      .values(
        rows.map((r) => ({
          companyId: input.companyId,
          name: r.title,
          calcomEventTypeId: r.eventTypeId,
          durationMinutes: r.lengthInMinutes,
          isActive: true,
        })),
      )
      .returning();
    await writeAudit(tx, {
      actor: input.actor,
      action: "service.import",
      targetType: "company",
      targetId: input.companyId,
      companyId: input.companyId,
      details: { created: created.map((s) => ({ serviceId: s.id, name: s.name, eventTypeId: s.calcomEventTypeId })) },
    });
    return { services: created };
  });
}
