// POST /api/admin/calcom/services/{id}/relink – point the service at another event type {eventTypeId, reason?} (operator, audited)
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { relinkSchema, relinkService } from "@/lib/sync/review";

export const POST = withAuth<{ id: string }>(async ({ req, actor, params }) => {
  const serviceId = z.coerce.number().int().positive().parse(params.id);
  const input = relinkSchema.parse(await readJson(req));
  return { service: await relinkService(await getDb(), { serviceId, ...input, actor }) };
}, { role: "operator" });
