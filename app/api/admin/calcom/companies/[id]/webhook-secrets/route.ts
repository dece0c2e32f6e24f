// POST /api/admin/calcom/companies/{id}/webhook-secrets – add a webhook secret (rotation keeps the old one active)
import { addWebhookSecret, addWebhookSecretSchema } from "@/lib/companies/companies";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { idParams } from "@/lib/http/params";

const params = idParams;

export const POST = withAuth<{ id: string }>(
  async ({ req, actor, params: raw, db }) => {
    const { id } = params.parse(raw);
    return addWebhookSecret(db, { companyId: id, input: addWebhookSecretSchema.parse(await readJson(req)), actor });
  },
  { role: "admin" },
);
