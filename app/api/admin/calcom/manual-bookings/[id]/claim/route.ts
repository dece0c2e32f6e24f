// POST /api/admin/calcom/manual-bookings/{id}/claim – take a queued request to work on it (operator, audited)
import { z } from "zod";
import { claimManualBooking } from "@/lib/booking/manual-queue";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";

export const POST = withAuth<{ id: string }>(async ({ actor, params }) => {
  return { manualBooking: await claimManualBooking(await getDb(), z.coerce.number().int().positive().parse(params.id), actor) };
}, { role: "operator" });
