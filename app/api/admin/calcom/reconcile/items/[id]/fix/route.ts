// POST /api/admin/calcom/reconcile/items/{id}/fix – fix one item {fix: adopt|push|link|ignore, reason?} (operator, audited)
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { applyReconcileFix, fixItemSchema } from "@/lib/reconcile/fixes";

const params = z.object({ id: z.coerce.number().int().positive() });

export const POST = withAuth<{ id: string }>(async ({ req, actor, params: raw }) => {
  const { id } = params.parse(raw);
  const input = fixItemSchema.parse(await readJson(req));
  return { item: await applyReconcileFix(await getDb(), { itemId: id, ...input, actor }) };
}, { role: "operator" });
