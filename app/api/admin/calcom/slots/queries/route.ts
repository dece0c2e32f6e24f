// GET /api/admin/calcom/slots/queries – recent slot queries, newest first (?companyId, ?eventTypeId, ?from, ?to, ?cursor, ?limit)
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";
import { listSlotQueries, listSlotQueriesSchema } from "@/lib/slots/recent-queries";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ req }) => {
  const query = listSlotQueriesSchema.parse(Object.fromEntries(req.nextUrl.searchParams));
  return listSlotQueries(await getDb(), query);
}, { role: "viewer" });
