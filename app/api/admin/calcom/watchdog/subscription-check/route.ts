// POST /api/admin/calcom/watchdog/subscription-check – read Cal.com's GET /v2/webhooks now and report drift ({companyId})
import { z } from "zod";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { checkWebhookSubscription } from "@/lib/watchdog/subscription";

export const dynamic = "force-dynamic";

const bodySchema = z.object({ companyId: z.number().int().positive() });

export const POST = withAuth(
  async ({ req, db }) => {
    const { companyId } = bodySchema.parse(await readJson(req));
    return checkWebhookSubscription(db, companyId);
  },
  { role: "operator" },
);
