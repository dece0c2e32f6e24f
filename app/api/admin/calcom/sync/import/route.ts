// POST /api/admin/calcom/sync/import – create services from new event types {companyId, eventTypeIds} (operator, audited)
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { importEventTypes, importSchema } from "@/lib/sync/import";

export const POST = withAuth(async ({ req, actor }) => {
  const input = importSchema.parse(await readJson(req));
  return importEventTypes(await getDb(), { ...input, actor });
}, { role: "operator" });
