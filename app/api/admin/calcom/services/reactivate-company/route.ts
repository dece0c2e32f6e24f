// POST /api/admin/calcom/services/reactivate-company – emergency: every service of a company active again
// {companyId, confirm: <company name>, reason?} (operator, audited)
import { readJson, withAuth } from "@/lib/http/with-auth";
import { reactivateCompanySchema, reactivateCompanyServices } from "@/lib/sync/review";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const input = reactivateCompanySchema.parse(await readJson(req));
    return reactivateCompanyServices(db, { ...input, actor });
  },
  { role: "operator" },
);
