// POST /api/admin/calcom/services/{id}/relink – point the service at another event type {eventTypeId, reason?} (operator, audited)
import { readJson, withAuth } from "@/lib/http/with-auth";
import { relinkSchema, relinkService } from "@/lib/sync/review";
import { idSchema } from "@/lib/http/params";

export const POST = withAuth<{ id: string }>(
  async ({ req, actor, params, db }) => {
    const serviceId = idSchema.parse(params.id);
    const input = relinkSchema.parse(await readJson(req));
    return { service: await relinkService(db, { serviceId, ...input, actor }) };
  },
  { role: "operator" },
);
