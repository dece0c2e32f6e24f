// GET /api/admin/calcom/metrics – aggregates for the Metrics panel (?window=1h|24h|7d, companyId)
import { withAuth } from "@/lib/http/with-auth";
import { getMetrics } from "@/lib/metrics/metrics";
import { metricsQuerySchema } from "@/lib/metrics/windows";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    return getMetrics(db, metricsQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams)));
  },
  { role: "viewer" },
);
