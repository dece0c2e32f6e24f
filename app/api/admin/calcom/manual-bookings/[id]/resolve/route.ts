// POST /api/admin/calcom/manual-bookings/{id}/resolve – mark booked by hand {calcomUid, note?} (operator, audited)
import { resolveManualBooking, resolveManualSchema } from "@/lib/booking/manual-queue";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { idSchema } from "@/lib/http/params";

export const POST = withAuth<{ id: string }>(
  async ({ req, actor, params, db }) => {
    const input = resolveManualSchema.parse(await readJson(req));
    return resolveManualBooking(db, idSchema.parse(params.id), input, actor);
  },
  { role: "operator" },
);
