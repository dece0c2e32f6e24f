// POST /api/admin/calcom/services/bulk-reactivate – reactivate the chosen services {serviceIds, reason?} (operator, audited)
import { readJson, withAuth } from "@/lib/http/with-auth";
import { bulkReactivate, bulkReactivateSchema } from "@/lib/sync/review";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const input = bulkReactivateSchema.parse(await readJson(req));
    return bulkReactivate(db, { ...input, actor });
  },
  { role: "operator" },
);
