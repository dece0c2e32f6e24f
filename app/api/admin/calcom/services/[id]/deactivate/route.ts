// POST /api/admin/calcom/services/{id}/deactivate – a person deactivates the service {reason?} (operator, audited)
import { readOptionalJson, withAuth } from "@/lib/http/with-auth";
import { deactivateService, reasonSchema } from "@/lib/sync/review";
import { idSchema } from "@/lib/http/params";

export const POST = withAuth<{ id: string }>(
  async ({ req, actor, params, db }) => {
    const serviceId = idSchema.parse(params.id);
    const { reason } = reasonSchema.parse(await readOptionalJson(req));
    return { service: await deactivateService(db, { serviceId, reason, actor }) };
  },
  { role: "operator" },
);
