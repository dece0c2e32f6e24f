// POST /api/admin/calcom/companies/{id}/webhook-secrets – add a webhook secret (rotation keeps the old one active)
import { z } from "zod";
import { addWebhookSecret, addWebhookSecretSchema } from "@/lib/companies/companies";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";

const params = z.object({ id: z.coerce.number().int().positive() });

export const POST = withAuth<{ id: string }>(
  async ({ req, actor, params: raw }) => {
    const { id } = params.parse(raw);
    return addWebhookSecret(await getDb(), { companyId: id, input: addWebhookSecretSchema.parse(await readJson(req)), actor });
  },
  { role: "admin" },
);
