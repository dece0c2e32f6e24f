// GET /api/admin/calcom/reconcile/runs – reconciliation runs, newest first (?companyId, cursor, limit)
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";
import { listReconcileRuns, listRunsQuerySchema } from "@/lib/reconcile/queries";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ req }) => {
  return listReconcileRuns(await getDb(), listRunsQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams)));
}, { role: "viewer" });
