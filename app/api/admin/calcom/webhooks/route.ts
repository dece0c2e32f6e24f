// GET /api/admin/calcom/webhooks – the webhook log, newest first (?companyId ?trigger ?verdict ?status ?bookingUid ?from ?to ?cursor ?limit)
import { withAuth } from "@/lib/http/with-auth";
import { listWebhookDeliveries, listWebhooksQuerySchema } from "@/lib/webhooks/log";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    const query = listWebhooksQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
    return listWebhookDeliveries(db, query);
  },
  { role: "viewer" },
);
