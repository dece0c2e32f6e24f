import "server-only";
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import { APPOINTMENT_STATUSES, appointments, type Appointment } from "@/drizzle/schema/core";
import type { DbOrTx } from "@/lib/db/types";

export const listAppointmentsQuerySchema = z.object({
  companyId: z.coerce.number().int().positive().optional(),
  bookingUid: z.string().trim().min(1).max(100).optional(),
  status: z.enum(APPOINTMENT_STATUSES).optional(),
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListAppointmentsQuery = z.infer<typeof listAppointmentsQuerySchema>;

/** Newest first by id; keyset cursor = last id (appointments_company_id / _company_status_id serve the filters). */
export async function listAppointments(db: DbOrTx, query: ListAppointmentsQuery): Promise<{ items: Appointment[]; nextCursor: number | null }> {
  const where: SQL[] = [];
  if (query.companyId) where.push(eq(appointments.companyId, query.companyId));
  if (query.bookingUid) where.push(eq(appointments.calcomBookingUid, query.bookingUid));
  if (query.status) where.push(eq(appointments.status, query.status));
  if (query.cursor) where.push(lt(appointments.id, query.cursor));
  const rows = await db
    .select()
    .from(appointments)
    .where(and(...where))
    .orderBy(desc(appointments.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
}
