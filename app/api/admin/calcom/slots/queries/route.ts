// GET /api/admin/calcom/slots/queries – recent slot queries, newest first (?companyId, ?eventTypeId, ?from, ?to, ?cursor, ?limit)
import { withAuth } from "@/lib/http/with-auth";
import { listSlotQueries, listSlotQueriesSchema } from "@/lib/slots/recent-queries";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    const query = listSlotQueriesSchema.parse(Object.fromEntries(req.nextUrl.searchParams));
    return listSlotQueries(db, query);
  },
  { role: "viewer" },
);
