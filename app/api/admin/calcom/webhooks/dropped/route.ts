// GET /api/admin/calcom/webhooks/dropped – rejected deliveries dropped by the per-address limit, per address and minute (24 h)
import { withAuth } from "@/lib/http/with-auth";
import { getEnv } from "@/lib/config/env";
import { listDroppedRejections } from "@/lib/webhooks/rate-limit";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ db }) => {
    return {
      limitPerMinute: getEnv().WEBHOOK_REJECTED_PER_MINUTE,
      rows: await listDroppedRejections(db, { sinceHours: 24 }),
    };
  },
  { role: "viewer" },
);
