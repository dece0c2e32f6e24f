// PATCH /api/admin/calcom/companies/{id}/webhook-secrets/{secretId} – activate or retire a webhook secret
import { z } from "zod";
import { setWebhookSecretActive } from "@/lib/companies/companies";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { idSchema } from "@/lib/http/params";

const params = z.object({ id: idSchema, secretId: idSchema });
const body = z.object({ isActive: z.boolean() });

export const PATCH = withAuth<{ id: string; secretId: string }>(
  async ({ req, actor, params: raw, db }) => {
    const { id, secretId } = params.parse(raw);
    const { isActive } = body.parse(await readJson(req));
    await setWebhookSecretActive(db, { companyId: id, secretId, isActive, actor });
    return { ok: true };
  },
  { role: "admin" },
);
