// POST /api/calcom/bookings/{uid}/cancel – cancel by booking uid {reason?} (phone platform, OPS_API_TOKEN)
import { cancelByUid, type CancelInput } from "@/lib/booking/manage";
import { withOpsToken } from "@/lib/booking/token-route";
import { getDb } from "@/lib/db/client";
import { readOptionalJson } from "@/lib/http/with-auth";

export const POST = withOpsToken<{ uid: string }>(async ({ req, params, actor }) => {
  const body = (await readOptionalJson(req)) as CancelInput;
  return cancelByUid(await getDb(), { ...body, uid: params.uid, actor });
});
