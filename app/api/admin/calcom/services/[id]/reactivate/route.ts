// POST /api/admin/calcom/services/{id}/reactivate – make the service active again {reason?} (operator, audited)
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { readOptionalJson, withAuth } from "@/lib/http/with-auth";
import { reactivateService, reasonSchema } from "@/lib/sync/review";

export const POST = withAuth<{ id: string }>(async ({ req, actor, params }) => {
  const serviceId = z.coerce.number().int().positive().parse(params.id);
  const { reason } = reasonSchema.parse(await readOptionalJson(req));
  return { service: await reactivateService(await getDb(), { serviceId, reason, actor }) };
}, { role: "operator" });
