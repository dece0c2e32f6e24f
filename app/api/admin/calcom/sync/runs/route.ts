// GET /api/admin/calcom/sync/runs – sync run history, newest first (?companyId, ?cursor, ?limit), plus freshness
import { withAuth } from "@/lib/http/with-auth";
import { listRuns, listRunsQuerySchema } from "@/lib/sync/runs";
import { getSyncStatus } from "@/lib/sync/status";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    const query = listRunsQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
    const [page, status] = await Promise.all([listRuns(db, query), getSyncStatus(db, { companyId: query.companyId })]);
    return { ...page, companies: status.companies };
  },
  { role: "viewer" },
);
