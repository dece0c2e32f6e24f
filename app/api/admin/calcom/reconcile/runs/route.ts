// GET /api/admin/calcom/reconcile/runs – reconciliation runs, newest first (?companyId, cursor, limit)
import { withAuth } from "@/lib/http/with-auth";
import { listReconcileRuns, listRunsQuerySchema } from "@/lib/reconcile/queries";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    return listReconcileRuns(db, listRunsQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams)));
  },
  { role: "viewer" },
);
