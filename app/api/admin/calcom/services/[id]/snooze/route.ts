// POST /api/admin/calcom/services/{id}/snooze – keep the service out of review for a while {hours, reason?} (operator, audited)
import { readJson, withAuth } from "@/lib/http/with-auth";
import { snoozeSchema, snoozeService } from "@/lib/sync/review";
import { idSchema } from "@/lib/http/params";

export const POST = withAuth<{ id: string }>(
  async ({ req, actor, params, db }) => {
    const serviceId = idSchema.parse(params.id);
    const input = snoozeSchema.parse(await readJson(req));
    return { state: await snoozeService(db, { serviceId, ...input, actor }) };
  },
  { role: "operator" },
);
