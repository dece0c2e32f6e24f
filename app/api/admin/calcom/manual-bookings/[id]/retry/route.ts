// POST /api/admin/calcom/manual-bookings/{id}/retry – re-check the slot and book it in Cal.com now (operator, audited)
import { attemptManualBooking } from "@/lib/booking/recovery";
import { withAuth } from "@/lib/http/with-auth";
import { idSchema } from "@/lib/http/params";

export const POST = withAuth<{ id: string }>(
  async ({ actor, params, db }) => {
    return attemptManualBooking(db, { id: idSchema.parse(params.id), actor, includeClaimed: true });
  },
  { role: "operator" },
);
