// GET /api/admin/calcom/audit – the audit log, newest first (?companyId, ?action, ?actor, ?from, ?to, ?cursor)
import { auditQuerySchema, listAudit } from "@/lib/audit/audit";
import { getDb } from "@/lib/db/client";
import { withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ req }) => {
  const query = auditQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
  return listAudit(await getDb(), query);
}, { role: "viewer" });
