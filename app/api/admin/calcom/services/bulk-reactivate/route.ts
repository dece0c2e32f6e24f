// POST /api/admin/calcom/services/bulk-reactivate – reactivate the chosen services {serviceIds, reason?} (operator, audited)
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { bulkReactivate, bulkReactivateSchema } from "@/lib/sync/review";

export const POST = withAuth(async ({ req, actor }) => {
  const input = bulkReactivateSchema.parse(await readJson(req));
  return bulkReactivate(await getDb(), { ...input, actor });
}, { role: "operator" });
