// POST /api/admin/calcom/manual-bookings/{id}/claim – take a queued request to work on it (operator, audited)
import { claimManualBooking } from "@/lib/booking/manual-queue";
import { withAuth } from "@/lib/http/with-auth";
import { idSchema } from "@/lib/http/params";

export const POST = withAuth<{ id: string }>(
  async ({ actor, params, db }) => {
    return { manualBooking: await claimManualBooking(db, { id: idSchema.parse(params.id), actor }) };
  },
  { role: "operator" },
);
