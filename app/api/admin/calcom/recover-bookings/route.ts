// POST /api/admin/calcom/recover-bookings – "Recover failed bookings" created in {from, to} (ISO), optional companyId (operator, audited)
import { recoverFailedBookings, recoverFailedSchema } from "@/lib/booking/recovery";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(async ({ req, actor }) => {
  return recoverFailedBookings(await getDb(), recoverFailedSchema.parse(await readJson(req)), actor);
}, { role: "operator" });
