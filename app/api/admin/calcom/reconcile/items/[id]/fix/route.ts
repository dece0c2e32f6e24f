// POST /api/admin/calcom/reconcile/items/{id}/fix – fix one item {fix: adopt|push|link|ignore, reason?} (operator, audited)
import { readJson, withAuth } from "@/lib/http/with-auth";
import { applyReconcileFix, fixItemSchema } from "@/lib/reconcile/fixes";
import { idParams } from "@/lib/http/params";

const params = idParams;

export const POST = withAuth<{ id: string }>(
  async ({ req, actor, params: raw, db }) => {
    const { id } = params.parse(raw);
    const input = fixItemSchema.parse(await readJson(req));
    return { item: await applyReconcileFix(db, { itemId: id, ...input, actor }) };
  },
  { role: "operator" },
);
