// POST /api/admin/calcom/manual-bookings/{id}/retry – re-check the slot and book it in Cal.com now (operator, audited)
import { z } from "zod";
import { attemptManualBooking } from "@/lib/booking/recovery";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";

export const POST = withAuth<{ id: string }>(async ({ actor, params }) => {
  return attemptManualBooking(await getDb(), z.coerce.number().int().positive().parse(params.id), { actor, includeClaimed: true });
}, { role: "operator" });
