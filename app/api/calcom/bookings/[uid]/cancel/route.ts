// POST /api/calcom/bookings/{uid}/cancel – cancel by booking uid {reason?} (phone platform, OPS_API_TOKEN)
import { cancelByUid } from "@/lib/booking/manage";
import { withOpsToken } from "@/lib/booking/token-route";
import { getDb } from "@/lib/db/client";
import { readOptionalJson } from "@/lib/http/with-auth";

export const POST = withOpsToken<{ uid: string }>(async ({ req, params, actor }) =>
  cancelByUid(await getDb(), params.uid, await readOptionalJson(req), { actor }),
);
