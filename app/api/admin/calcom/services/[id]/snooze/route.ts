// POST /api/admin/calcom/services/{id}/snooze – keep the service out of review for a while {hours, reason?} (operator, audited)
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { snoozeSchema, snoozeService } from "@/lib/sync/review";

export const POST = withAuth<{ id: string }>(async ({ req, actor, params }) => {
  const serviceId = z.coerce.number().int().positive().parse(params.id);
  const input = snoozeSchema.parse(await readJson(req));
  return { state: await snoozeService(await getDb(), { serviceId, ...input, actor }) };
}, { role: "operator" });
