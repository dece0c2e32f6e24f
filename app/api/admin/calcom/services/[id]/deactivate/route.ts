// POST /api/admin/calcom/services/{id}/deactivate – a person deactivates the service {reason?} (operator, audited)
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { readOptionalJson, withAuth } from "@/lib/http/with-auth";
import { deactivateService, reasonSchema } from "@/lib/sync/review";

export const POST = withAuth<{ id: string }>(async ({ req, actor, params }) => {
  const serviceId = z.coerce.number().int().positive().parse(params.id);
  const { reason } = reasonSchema.parse(await readOptionalJson(req));
  return { service: await deactivateService(await getDb(), { serviceId, reason, actor }) };
}, { role: "operator" });
