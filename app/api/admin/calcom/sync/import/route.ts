// POST /api/admin/calcom/sync/import – create services from new event types {companyId, eventTypeIds} (operator, audited)
import { readJson, withAuth } from "@/lib/http/with-auth";
import { importEventTypes, importSchema } from "@/lib/sync/import";

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const input = importSchema.parse(await readJson(req));
    return importEventTypes(db, { ...input, actor });
  },
  { role: "operator" },
);
