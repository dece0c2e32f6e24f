// GET /api/admin/calcom/watchdog – expected webhooks per company over the last 24 h, latest problems, subscription check (?companyId)
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";
import { getWatchdogSummary, watchdogSummaryQuerySchema } from "@/lib/watchdog/summary";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ req }) => {
  const query = watchdogSummaryQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
  return getWatchdogSummary(await getDb(), query);
}, { role: "viewer" });
