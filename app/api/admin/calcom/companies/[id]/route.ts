// PATCH /api/admin/calcom/companies/{id} – update a company's Cal.com settings (admin; key write-only)
import { updateCompanySettings, type UpdateCompanySettingsInput } from "@/lib/companies/companies";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { idParams } from "@/lib/http/params";

const params = idParams;

export const PATCH = withAuth<{ id: string }>(
  async ({ req, actor, params: raw, db }) => {
    const { id } = params.parse(raw);
    return updateCompanySettings(db, {
      companyId: id,
      input: (await readJson(req)) as UpdateCompanySettingsInput,
      actor,
    }); // parsed inside: one 400 naming the field
  },
  { role: "admin" },
);
