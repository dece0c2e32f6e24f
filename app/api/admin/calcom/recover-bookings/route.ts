// POST /api/admin/calcom/recover-bookings – "Recover failed bookings" created in {from, to} (ISO), optional companyId (operator, audited)
import { recoverFailedBookings, type RecoverFailedInput } from "@/lib/booking/recovery";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const body = (await readJson(req)) as RecoverFailedInput;
    return recoverFailedBookings(db, { ...body, actor });
  },
  { role: "operator" },
);
