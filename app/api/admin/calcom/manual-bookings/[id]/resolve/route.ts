// POST /api/admin/calcom/manual-bookings/{id}/resolve – mark booked by hand {calcomUid, note?} (operator, audited)
import { z } from "zod";
import { resolveManualBooking, resolveManualSchema } from "@/lib/booking/manual-queue";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const POST = withAuth<{ id: string }>(async ({ req, actor, params }) => {
  const input = resolveManualSchema.parse(await readJson(req));
  return resolveManualBooking(await getDb(), z.coerce.number().int().positive().parse(params.id), input, actor);
}, { role: "operator" });
