// POST /api/admin/calcom/reconcile – start reconciliation runs {companyId?, from, to, incremental} (operator, audited)
import { readJson, withAuth } from "@/lib/http/with-auth";
import { enqueueReconcileRuns } from "@/lib/reconcile/jobs";
import { createReconcileRuns, startReconcileSchema } from "@/lib/reconcile/run";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const input = startReconcileSchema.parse(await readJson(req));
    const runs = await createReconcileRuns(db, { input, actor });
    await enqueueReconcileRuns(runs);
    return Response.json(
      { runs: runs.map((r) => ({ id: r.id, companyId: r.companyId, mode: r.mode, status: r.status })) },
      { status: 202 },
    );
  },
  { role: "operator" },
);
