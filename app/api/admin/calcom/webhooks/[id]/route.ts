// GET /api/admin/calcom/webhooks/{id} – one delivery: headers, payload, verification, attempts, appointment before/after
import { withAuth } from "@/lib/http/with-auth";
import { getWebhookDelivery } from "@/lib/webhooks/log";
import { idSchema } from "@/lib/http/params";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ id: string }>(
  async ({ params, db }) => {
    const id = idSchema.parse(params.id);
    return getWebhookDelivery(db, id);
  },
  { role: "viewer" },
);
