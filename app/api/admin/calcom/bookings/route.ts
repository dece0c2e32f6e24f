// POST /api/admin/calcom/bookings – book a (test) appointment exactly the way production does (operator, audited)
import { NextResponse } from "next/server";
import { bookAppointment } from "@/lib/booking/book";
import type { BookInput } from "@/lib/booking/schemas";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const body = (await readJson(req)) as Record<string, unknown> | null;
    // The panels send serviceId; the phone platform may send a name as "service". Both go through resolveService.
    const input = { ...body, service: body?.service ?? body?.serviceId };
    const result = await bookAppointment(db, { ...(input as BookInput), actor, source: "admin" });
    return NextResponse.json(result, { status: result.outcome === "manual" ? 202 : result.isReplay ? 200 : 201 });
  },
  { role: "operator" },
);
