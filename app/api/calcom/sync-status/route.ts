// GET /api/calcom/sync-status – {last_sync, event_types_count, pending_webhooks, sync_errors} overall and per company
// (session or OPS_API_TOKEN bearer; ?companyId narrows)
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";
import { getSyncStatus } from "@/lib/sync/status";

export const dynamic = "force-dynamic";
const query = z.object({ companyId: z.coerce.number().int().positive().optional() });

export const GET = withAuth(async ({ req }) => {
  const { companyId } = query.parse(Object.fromEntries(req.nextUrl.searchParams));
  return getSyncStatus(await getDb(), { companyId });
}, { role: "viewer" });
