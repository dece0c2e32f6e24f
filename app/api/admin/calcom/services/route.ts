// GET /api/admin/calcom/services – services (?companyId, ?active)
import { withAuth } from "@/lib/http/with-auth";
import { listServices, listServicesQuerySchema } from "@/lib/services/services";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    const query = listServicesQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
    return { services: await listServices(db, query) };
  },
  { role: "viewer" },
);
