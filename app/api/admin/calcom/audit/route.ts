// GET /api/admin/calcom/audit – the audit log, newest first (?companyId, ?action, ?actor, ?from, ?to, ?cursor)
import { auditQuerySchema, listAudit } from "@/lib/audit/audit";
import { withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  async ({ req, db }) => {
    const query = auditQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
    return listAudit(db, query);
  },
  { role: "viewer" },
);
