// GET /api/admin/calcom/webhooks/{id} – one delivery: headers, payload, verification, attempts, appointment before/after
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";
import { getWebhookDelivery } from "@/lib/webhooks/log";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ id: string }>(async ({ params }) => {
  const id = z.coerce.number().int().positive().parse(params.id);
  return getWebhookDelivery(await getDb(), id);
}, { role: "viewer" });
