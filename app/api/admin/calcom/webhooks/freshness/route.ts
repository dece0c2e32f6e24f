// GET /api/admin/calcom/webhooks/freshness – last verified delivery per company, and a warning when webhooks went silent
import { parseCompanyParam } from "@/lib/http/company-param";
import { withAuth } from "@/lib/http/with-auth";
import { getFreshness } from "@/lib/webhooks/settings";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    const companyId = parseCompanyParam(req.nextUrl.searchParams.get("companyId") ?? undefined);
    return { companies: await getFreshness(db, { companyId }) };
  },
  { role: "viewer" },
);
