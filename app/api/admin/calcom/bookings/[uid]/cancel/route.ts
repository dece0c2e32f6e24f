// POST /api/admin/calcom/bookings/{uid}/cancel – cancel a booking by its uid {reason} (operator, audited)
import { cancelByUid } from "@/lib/booking/manage";
import { getDb } from "@/lib/db/client";
import { readOptionalJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth<{ uid: string }>(async ({ req, actor, params }) => {
  return cancelByUid(await getDb(), params.uid, await readOptionalJson(req), { actor });
}, { role: "operator" });
