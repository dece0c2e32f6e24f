// POST /api/admin/calcom/reconcile/runs/{id}/bulk-fix – one fix for every open item of a class {class, fix, reason?} (operator, audited)
import { readJson, withAuth } from "@/lib/http/with-auth";
import { bulkFixSchema, bulkReconcileFix } from "@/lib/reconcile/fixes";
import { getReconcileRunOrThrow } from "@/lib/reconcile/queries";
import { idParams } from "@/lib/http/params";

const params = idParams;

export const POST = withAuth<{ id: string }>(
  async ({ req, actor, params: raw, db }) => {
    const { id } = params.parse(raw);
    const input = bulkFixSchema.parse(await readJson(req));
    await getReconcileRunOrThrow(db, id);
    return bulkReconcileFix(db, { runId: id, ...input, actor });
  },
  { role: "operator" },
);
