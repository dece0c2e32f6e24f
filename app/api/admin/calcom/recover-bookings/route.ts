// POST /api/admin/calcom/recover-bookings – "Recover failed bookings" created in {from, to} (ISO), optional companyId (operator, audited)
import { recoverFailedBookings, recoverFailedSchema } from "@/lib/booking/recovery";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    return recoverFailedBookings(db, recoverFailedSchema.parse(await readJson(req)), actor);
  },
  { role: "operator" },
);
