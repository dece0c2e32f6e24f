// GET /api/admin/calcom/appointments – appointments (?companyId, ?bookingUid, ?status, ?cursor, ?limit)
import { listAppointments, listAppointmentsQuerySchema } from "@/lib/appointments/appointments";
import { withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    const query = listAppointmentsQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
    return listAppointments(db, query);
  },
  { role: "viewer" },
);
