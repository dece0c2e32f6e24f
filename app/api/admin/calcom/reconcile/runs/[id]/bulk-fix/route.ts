// POST /api/admin/calcom/reconcile/runs/{id}/bulk-fix – one fix for every open item of a class {class, fix, reason?} (operator, audited)
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { bulkFixSchema, bulkReconcileFix } from "@/lib/reconcile/fixes";
import { getReconcileRunOrThrow } from "@/lib/reconcile/queries";

const params = z.object({ id: z.coerce.number().int().positive() });

export const POST = withAuth<{ id: string }>(async ({ req, actor, params: raw }) => {
  const { id } = params.parse(raw);
  const input = bulkFixSchema.parse(await readJson(req));
  const db = await getDb();
  await getReconcileRunOrThrow(db, id);
  return bulkReconcileFix(db, { runId: id, ...input, actor });
}, { role: "operator" });
