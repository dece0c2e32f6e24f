import "server-only";
import * as clock from "@/lib/time/clock";
import { and, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { slotQueries, type SlotQuery } from "@/drizzle/schema/slots";
import type { Db, DbOrTx } from "@/lib/db/types";
import { getEnv } from "@/lib/config/env";
import { companyIdSchema, idSchema } from "@/lib/http/params";

/** What callers were offered: recorded by every slot debug (and by the phone platform's availability route). */

export type NewSlotQuery = typeof slotQueries.$inferInsert;

export async function recordSlotQuery(db: DbOrTx, row: NewSlotQuery): Promise<number> {
  const [inserted] = await db
    .insert(slotQueries)
    .values({ ...row, error: row.error?.slice(0, 500) ?? null })
    .returning({ id: slotQueries.id });
  return inserted!.id;
}

export const listSlotQueriesSchema = z.object({
  companyId: companyIdSchema,
  eventTypeId: idSchema.optional(),
  /** Only queries made at or after / before these instants ("what was offered around 10:42?"). */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListSlotQueriesInput = z.infer<typeof listSlotQueriesSchema>;

/** Newest first, keyset on id; slot_queries_company_id / _company_event_type_id serve both filters. */
export async function listSlotQueries(
  db: DbOrTx,
  input: ListSlotQueriesInput,
): Promise<{ items: SlotQuery[]; nextCursor: number | null }> {
  const where: SQL[] = [eq(slotQueries.companyId, input.companyId)];
  if (input.eventTypeId) where.push(eq(slotQueries.eventTypeId, input.eventTypeId));
  if (input.from) where.push(gte(slotQueries.at, new Date(input.from)));
  if (input.to) where.push(lte(slotQueries.at, new Date(input.to)));
  if (input.cursor) where.push(lt(slotQueries.id, input.cursor));
  const rows = await db
    .select()
    .from(slotQueries)
    .where(and(...where))
    .orderBy(desc(slotQueries.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/** Retention: one statement served by slot_queries_at. */
export async function pruneSlotQueries(db: Db, days = getEnv().SLOT_QUERY_RETENTION_DAYS): Promise<void> {
  await db
    .delete(slotQueries)
    .where(lt(slotQueries.at, sql`${clock.now().toISOString()}::timestamptz - make_interval(days => ${days})`));
}
