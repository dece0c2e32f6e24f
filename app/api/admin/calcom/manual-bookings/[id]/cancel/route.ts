// POST /api/admin/calcom/manual-bookings/{id}/cancel – drop a queued request {reason} (operator, audited)
import { cancelManualBooking, type CancelManualInput } from "@/lib/booking/manual-queue";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { idSchema } from "@/lib/http/params";

export const POST = withAuth<{ id: string }>(
  async ({ req, actor, params, db }) => {
    const body = (await readJson(req)) as CancelManualInput;
    return { manualBooking: await cancelManualBooking(db, { ...body, id: idSchema.parse(params.id), actor }) };
  },
  { role: "operator" },
);
