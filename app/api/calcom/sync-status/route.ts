// GET /api/calcom/sync-status – {last_sync, event_types_count, pending_webhooks, sync_errors} overall and per company
// (session or OPS_API_TOKEN bearer; ?companyId narrows)
import { z } from "zod";
import { withAuth } from "@/lib/http/with-auth";
import { getSyncStatus } from "@/lib/sync/status";
import { idSchema } from "@/lib/http/params";

export const dynamic = "force-dynamic";
const query = z.object({ companyId: idSchema.optional() });

export const GET = withAuth(
  async ({ req, db }) => {
    const { companyId } = query.parse(Object.fromEntries(req.nextUrl.searchParams));
    return getSyncStatus(db, { companyId });
  },
  { role: "viewer" },
);
