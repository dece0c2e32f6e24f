// GET /api/admin/calcom/manual-bookings – the manual-booking queue with age (?companyId, ?state=active|open|claimed|conflict|booked|cancelled, ?cursor, ?limit)
import { listManualBookings, listManualQuerySchema } from "@/lib/booking/manual-queue";
import { withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    return listManualBookings(db, listManualQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams)));
  },
  { role: "viewer" },
);
