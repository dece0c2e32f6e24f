import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { serviceAliases, type ServiceAlias } from "@/drizzle/schema/booking";
import { services } from "@/drizzle/schema/core";
import { writeAudit } from "@/lib/audit/audit";
import type { Actor } from "@/lib/auth/roles";
import type { Db, DbOrTx } from "@/lib/db/types";
import { AppError, parseOrBadRequest } from "@/lib/errors";
import { serviceNameKey } from "@/lib/services/name-match";

/** Configured extra names for services, used by resolveService. */

const addAliasSchema = z.object({
  companyId: z.number().int().positive(),
  serviceId: z.number().int().positive(),
  alias: z.string().trim().min(2).max(200),
});

export async function listServiceAliases(db: DbOrTx, companyId: number): Promise<ServiceAlias[]> {
  return db
    .select()
    .from(serviceAliases)
    .where(eq(serviceAliases.companyId, companyId))
    .orderBy(asc(serviceAliases.alias));
}

export type AddAliasInput = z.input<typeof addAliasSchema> & { actor: Actor };

export async function addServiceAlias(db: Db, input: AddAliasInput): Promise<ServiceAlias> {
  const { actor } = input;
  const a = parseOrBadRequest(addAliasSchema, input);
  const normalized = serviceNameKey(a.alias);
  if (!normalized) throw new AppError("BAD_REQUEST", "The alias needs letters or digits");
  return db.transaction(async (tx) => {
    const [service] = await tx
      .select()
      .from(services)
      .where(and(eq(services.id, a.serviceId), eq(services.companyId, a.companyId)));
    if (!service) throw new AppError("NOT_FOUND", `Service #${a.serviceId} does not exist for this company`);
    const clash = (await tx.select().from(services).where(eq(services.companyId, a.companyId))).find(
      (s) => s.id !== a.serviceId && serviceNameKey(s.name) === normalized,
    );
    if (clash)
      throw new AppError("CONFLICT", `"${a.alias}" is already the name of service ${clash.name} (#${clash.id})`);
    const [row] = await tx
      .insert(serviceAliases)
      .values({ companyId: a.companyId, serviceId: a.serviceId, alias: a.alias, normalized })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError("CONFLICT", `The alias "${a.alias}" is already configured for this company`);
    await writeAudit(tx, {
      actor,
      action: "service-alias.add",
      targetType: "service",
      targetId: a.serviceId,
      companyId: a.companyId,
      details: { alias: a.alias },
    });
    return row;
  });
}

export async function removeServiceAlias(db: Db, input: { id: number; actor: Actor }): Promise<void> {
  const { id, actor } = input;
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(serviceAliases).where(eq(serviceAliases.id, id)).returning();
    if (!row) throw new AppError("NOT_FOUND", `Alias #${id} does not exist`);
    await writeAudit(tx, {
      actor,
      action: "service-alias.remove",
      targetType: "service",
      targetId: row.serviceId,
      companyId: row.companyId,
      details: { alias: row.alias },
    });
  });
}
