// POST /api/admin/calcom/manual-bookings/{id}/cancel – drop a queued request {reason} (operator, audited)
import { z } from "zod";
import { cancelManualBooking, cancelManualSchema } from "@/lib/booking/manual-queue";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth<{ id: string }>(async ({ req, actor, params }) => {
  const input = cancelManualSchema.parse(await readJson(req));
  return { manualBooking: await cancelManualBooking(await getDb(), z.coerce.number().int().positive().parse(params.id), input, actor) };
}, { role: "operator" });
