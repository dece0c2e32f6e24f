// POST /api/calcom/bookings – book {companyId, service (id or name), start, attendee, idempotencyKey} (phone platform, OPS_API_TOKEN)
import { NextResponse } from "next/server";
import { bookAppointment } from "@/lib/booking/book";
import type { BookInput } from "@/lib/booking/schemas";
import { withOpsToken } from "@/lib/booking/token-route";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/with-auth";

export const POST = withOpsToken(async ({ req }) => {
  const body = (await readJson(req)) as Record<string, unknown> | null;
  const input = { ...body, service: body?.service ?? body?.serviceId };
  const result = await bookAppointment(await getDb(), { ...(input as BookInput), source: "phone" });
  // 202: accepted into the manual-booking queue (Cal.com unavailable or fallback mode); staff will confirm.
  return NextResponse.json(result, { status: result.outcome === "manual" ? 202 : result.isReplay ? 200 : 201 });
});
