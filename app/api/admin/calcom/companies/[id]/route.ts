// PATCH /api/admin/calcom/companies/{id} – update a company's Cal.com settings (admin; key write-only)
import { z } from "zod";
import { updateCompanySettings, type UpdateCompanySettingsInput } from "@/lib/companies/companies";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";

const params = z.object({ id: z.coerce.number().int().positive() });

export const PATCH = withAuth<{ id: string }>(
  async ({ req, actor, params: raw }) => {
    const { id } = params.parse(raw);
    return updateCompanySettings(await getDb(), { companyId: id, input: (await readJson(req)) as UpdateCompanySettingsInput, actor }); // parsed inside: one 400 naming the field
  },
  { role: "admin" },
);
