// POST /api/calcom/bookings/{uid}/reschedule – move a booking {start, reason?}; answers with the new uid (phone platform, OPS_API_TOKEN)
import { NextResponse } from "next/server";
import { rescheduleByUid, type RescheduleInput } from "@/lib/booking/manage";
import { withOpsToken } from "@/lib/booking/token-route";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/with-auth";

export const POST = withOpsToken<{ uid: string }>(async ({ req, params, actor }) => {
  const body = (await readJson(req)) as RescheduleInput;
  return NextResponse.json(await rescheduleByUid(await getDb(), { ...body, uid: params.uid, actor }), { status: 201 });
});
