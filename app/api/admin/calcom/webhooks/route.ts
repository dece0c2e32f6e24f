// GET /api/admin/calcom/webhooks – the webhook log, newest first (?companyId ?trigger ?verdict ?status ?bookingUid ?from ?to ?cursor ?limit)
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";
import { listWebhookDeliveries, listWebhooksQuerySchema } from "@/lib/webhooks/log";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ req }) => {
  const query = listWebhooksQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
  return listWebhookDeliveries(await getDb(), query);
}, { role: "viewer" });
