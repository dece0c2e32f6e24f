// POST /api/admin/calcom/manual-bookings/{id}/cancel – drop a queued request {reason} (operator, audited)
import { cancelManualBooking, cancelManualSchema } from "@/lib/booking/manual-queue";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { idSchema } from "@/lib/http/params";

export const POST = withAuth<{ id: string }>(
  async ({ req, actor, params, db }) => {
    const input = cancelManualSchema.parse(await readJson(req));
    return { manualBooking: await cancelManualBooking(db, idSchema.parse(params.id), input, actor) };
  },
  { role: "operator" },
);
