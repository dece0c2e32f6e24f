// POST /api/admin/calcom/bookings/{uid}/reschedule – move a booking {start, reason?}; Cal.com issues a new uid (operator, audited)
import { NextResponse } from "next/server";
import { rescheduleByUid, type RescheduleInput } from "@/lib/booking/manage";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth<{ uid: string }>(
  async ({ req, actor, params, db }) => {
    const body = (await readJson(req)) as RescheduleInput;
    return NextResponse.json(await rescheduleByUid(db, { ...body, uid: params.uid, actor }), { status: 201 });
  },
  { role: "operator" },
);
