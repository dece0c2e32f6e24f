// POST /api/admin/calcom/bookings/{uid}/cancel – cancel a booking by its uid {reason} (operator, audited)
import { cancelByUid, type CancelInput } from "@/lib/booking/manage";
import { readOptionalJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth<{ uid: string }>(
  async ({ req, actor, params, db }) => {
    const body = (await readOptionalJson(req)) as CancelInput;
    return cancelByUid(db, { ...body, uid: params.uid, actor });
  },
  { role: "operator" },
);
