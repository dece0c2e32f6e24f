// POST /api/admin/calcom/manual-bookings/{id}/resolve – mark booked by hand {calcomUid, note?} (operator, audited)
import { resolveManualBooking, type ResolveManualInput } from "@/lib/booking/manual-queue";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { idSchema } from "@/lib/http/params";

export const POST = withAuth<{ id: string }>(
  async ({ req, actor, params, db }) => {
    const body = (await readJson(req)) as ResolveManualInput;
    return resolveManualBooking(db, { ...body, id: idSchema.parse(params.id), actor });
  },
  { role: "operator" },
);
