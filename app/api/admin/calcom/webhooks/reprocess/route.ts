// POST /api/admin/calcom/webhooks/reprocess – reprocess one delivery, or every failed one in a filter (dryRun counts first)
// GET  /api/admin/calcom/webhooks/reprocess?runId= – progress of a bulk reprocess
import { readJson, withAuth } from "@/lib/http/with-auth";
import { getReprocessRun, reprocessDeliveries, reprocessInputSchema } from "@/lib/webhooks/reprocess";
import { idSchema } from "@/lib/http/params";

export const dynamic = "force-dynamic";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const input = reprocessInputSchema.parse(await readJson(req));
    return reprocessDeliveries(db, { input, actor });
  },
  { role: "operator" },
);

export const GET = withAuth(
  async ({ req, db }) => {
    const runId = idSchema.parse(req.nextUrl.searchParams.get("runId"));
    return getReprocessRun(db, runId);
  },
  { role: "viewer" },
);
