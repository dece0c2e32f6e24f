// POST /api/admin/calcom/webhooks/reprocess – reprocess one delivery, or every failed one in a filter (dryRun counts first)
// GET  /api/admin/calcom/webhooks/reprocess?runId= – progress of a bulk reprocess
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { getReprocessRun, reprocessDeliveries, reprocessInputSchema } from "@/lib/webhooks/reprocess";

export const dynamic = "force-dynamic";

export const POST = withAuth(async ({ req, actor }) => {
  const input = reprocessInputSchema.parse(await readJson(req));
  return reprocessDeliveries(await getDb(), { input, actor });
}, { role: "operator" });

export const GET = withAuth(async ({ req }) => {
  const runId = z.coerce.number().int().positive().parse(req.nextUrl.searchParams.get("runId"));
  return getReprocessRun(await getDb(), runId);
}, { role: "viewer" });
