// GET /api/admin/calcom/services – services (?companyId, ?active)
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";
import { listServices, listServicesQuerySchema } from "@/lib/services/services";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ req }) => {
  const query = listServicesQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
  return { services: await listServices(await getDb(), query) };
}, { role: "viewer" });
