import "server-only";
import { and, asc, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import { services, type Service } from "@/drizzle/schema/core";
import type { DbOrTx } from "@/lib/db/types";
import { companyIdSchema } from "@/lib/http/params";

const booleanParam = z.enum(["true", "false"]).transform((v) => v === "true");

export const listServicesQuerySchema = z.object({
  companyId: companyIdSchema.optional(),
  active: booleanParam.optional(),
});

export async function listServices(db: DbOrTx, query: z.infer<typeof listServicesQuerySchema>): Promise<Service[]> {
  const where: SQL[] = [];
  if (query.companyId) where.push(eq(services.companyId, query.companyId));
  if (query.active !== undefined) where.push(eq(services.isActive, query.active));
  return db
    .select()
    .from(services)
    .where(and(...where))
    .orderBy(asc(services.companyId), asc(services.name));
}
