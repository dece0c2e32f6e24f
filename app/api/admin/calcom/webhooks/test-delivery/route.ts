// POST /api/admin/calcom/webhooks/test-delivery – send a signed PING to our own endpoint, like Cal.com's Ping test
import { getEnv } from "@/lib/config/env";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { sendTestDelivery, testDeliveryInputSchema } from "@/lib/webhooks/tools";

export const dynamic = "force-dynamic";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const { companyId } = testDeliveryInputSchema.parse(await readJson(req));
    // Never the request's Host header: a forged one would make the server post wherever the caller named.
    const env = getEnv();
    const baseUrl = env.APP_URL ?? `http://127.0.0.1:${env.PORT}`;
    return sendTestDelivery(db, { companyId, baseUrl, actor });
  },
  { role: "operator" },
);
