// GET /api/admin/calcom/alerts – alerts newest first (?companyId, ?status=active|open|acknowledged|resolved|all, ?cursor)
import { listAlerts, listAlertsQuerySchema } from "@/lib/alerts/alerts";
import { withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    const query = listAlertsQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
    return listAlerts(db, query);
  },
  { role: "viewer" },
);
