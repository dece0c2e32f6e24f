// GET /api/admin/calcom/companies – companies with their Cal.com configuration (keys masked)
import { listCompanies } from "@/lib/companies/companies";
import { withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ db }) => ({ companies: await listCompanies(db) }), { role: "viewer" });
