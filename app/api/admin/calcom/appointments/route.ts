// GET /api/admin/calcom/appointments – appointments (?companyId, ?bookingUid, ?status, ?cursor, ?limit)
import { listAppointments, listAppointmentsQuerySchema } from "@/lib/appointments/appointments";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ req }) => {
  const query = listAppointmentsQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
  return listAppointments(await getDb(), query);
}, { role: "viewer" });
