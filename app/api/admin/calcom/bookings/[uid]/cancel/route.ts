// POST /api/admin/calcom/bookings/{uid}/cancel – cancel a booking by its uid {reason} (operator, audited)
import { cancelByUid } from "@/lib/booking/manage";
import { readOptionalJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth<{ uid: string }>(
  async ({ req, actor, params, db }) => {
    return cancelByUid(db, params.uid, await readOptionalJson(req), { actor });
  },
  { role: "operator" },
);
