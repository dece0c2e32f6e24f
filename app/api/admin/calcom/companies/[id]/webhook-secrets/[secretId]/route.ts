// PATCH /api/admin/calcom/companies/{id}/webhook-secrets/{secretId} – activate or retire a webhook secret
import { z } from "zod";
import { setWebhookSecretActive } from "@/lib/companies/companies";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";

const params = z.object({ id: z.coerce.number().int().positive(), secretId: z.coerce.number().int().positive() });
const body = z.object({ isActive: z.boolean() });

export const PATCH = withAuth<{ id: string; secretId: string }>(
  async ({ req, actor, params: raw }) => {
    const { id, secretId } = params.parse(raw);
    const { isActive } = body.parse(await readJson(req));
    await setWebhookSecretActive(await getDb(), { companyId: id, secretId, isActive, actor });
    return { ok: true };
  },
  { role: "admin" },
);
