import "server-only";
import { and, desc, eq, inArray, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { APPOINTMENT_STATUSES, appointments, type Appointment } from "@/drizzle/schema/core";
import type { DbOrTx } from "@/lib/db/types";
import { appointmentIdsWithEarlierUid, forwardUids, uidChains, type UidChain } from "./uid-chain";
import { companyIdSchema, idSchema } from "@/lib/http/params";

export const listAppointmentsQuerySchema = z.object({
  companyId: companyIdSchema.optional(),
  bookingUid: z.string().trim().min(1).max(100).optional(),
  status: z.enum(APPOINTMENT_STATUSES).optional(),
  cursor: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListAppointmentsQuery = z.infer<typeof listAppointmentsQuerySchema>;

export type AppointmentListItem = Appointment & UidChain;

/**
 * Newest first by id; keyset cursor = last id (appointments_company_id / _company_status_id serve the filters).
 * `bookingUid` finds the appointment whether it is its current uid or an earlier one of its reschedule chain; every
 * item carries `previousUids` (oldest first) and `rescheduledFromUid`.
 */
export async function listAppointments(
  db: DbOrTx,
  query: ListAppointmentsQuery,
): Promise<{ items: AppointmentListItem[]; nextCursor: number | null }> {
  const where: SQL[] = [];
  if (query.companyId) where.push(eq(appointments.companyId, query.companyId));
  if (query.bookingUid) {
    const ids = await appointmentIdsWithEarlierUid(db, query.bookingUid);
    const uids = await forwardUids(db, query.bookingUid);
    where.push(
      or(inArray(appointments.calcomBookingUid, uids), ...(ids.length ? [inArray(appointments.id, ids)] : []))!,
    );
  }
  if (query.status) where.push(eq(appointments.status, query.status));
  if (query.cursor) where.push(lt(appointments.id, query.cursor));
  const rows = await db
    .select()
    .from(appointments)
    .where(and(...where))
    .orderBy(desc(appointments.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const chains = await uidChains(db, page);
  const items = page.map((a) => ({ ...a, ...(chains.get(a.id) ?? { previousUids: [], rescheduledFromUid: null }) }));
  return { items, nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
}
