// GET /api/admin/calcom/watchdog – expected webhooks per company over the last 24 h, latest problems, subscription check (?companyId)
import { withAuth } from "@/lib/http/with-auth";
import { getWatchdogSummary, watchdogSummaryQuerySchema } from "@/lib/watchdog/summary";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    const query = watchdogSummaryQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
    return getWatchdogSummary(db, query);
  },
  { role: "viewer" },
);
